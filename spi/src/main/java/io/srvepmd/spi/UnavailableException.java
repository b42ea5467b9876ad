package io.srvepmd.spi;

import java.io.IOException;

/**
 * Thrown by a resolver when the source it asks could not be reached or did not
 * answer usefully (every server timed out, refused, or answered SERVFAIL).
 *
 * <p>The agent treats every exception other than {@link NodeNotFoundException}
 * this way: it falls back to the last good answer for the node (RFC 8767,
 * serving stale data), or asks the next resolver. Throwing this type rather
 * than a plain {@link IOException} says so explicitly, to the agent and to
 * whoever reads the resolver's code.
 */
public final class UnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was asked, of whom, and what happened
     */
    public UnavailableException(String message) {
        super(message);
    }

    /**
     * @param message what was asked, of whom, and what happened
     * @param cause the underlying failure
     */
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
