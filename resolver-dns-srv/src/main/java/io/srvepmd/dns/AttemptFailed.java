package io.srvepmd.dns;

/**
 * One server's failure to answer one attempt. The message is a short reason
 * such as {@code "timeout"} or {@code "refused (ICMP port unreachable)"}; the
 * transport joins the reasons of all attempts into the error the operator reads.
 */
final class AttemptFailed extends Exception {

    private static final long serialVersionUID = 1L;

    AttemptFailed(String reason) {
        super(reason, null, false, false); // control flow between our own classes: no stack trace needed
    }
}
