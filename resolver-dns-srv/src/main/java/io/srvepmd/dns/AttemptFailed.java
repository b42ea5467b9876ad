package io.srvepmd.dns;

/**
 * One server's failure to answer one attempt. The message is a short reason
 * such as {@code "timeout"} or {@code "refused (ICMP port unreachable)"}; the
 * transport joins the reasons of all attempts into the error the operator reads.
 */
final class AttemptFailed extends Exception {

    private static final long serialVersionUID = 1L;

    /** Whether the server said nothing in time (as opposed to refusing, or answering badly). */
    final boolean timedOut;

    AttemptFailed(String reason) {
        this(reason, false);
    }

    private AttemptFailed(String reason, boolean timedOut) {
        super(reason, null, false, false); // control flow between our own classes: no stack trace needed
        this.timedOut = timedOut;
    }

    /** The server said nothing usable in time. */
    static AttemptFailed timeout(String reason) {
        return new AttemptFailed(reason, true);
    }

    /** The same failure after a truncated UDP answer sent the attempt to TCP. */
    AttemptFailed after(String why) {
        return new AttemptFailed(why + ", then " + getMessage(), timedOut);
    }
}
