package io.srvepmd.spi;

import java.io.IOException;

/**
 * Thrown by a resolver that is responsible for a node when its source of
 * truth answered and the node is not there: DNS said NXDOMAIN or gave no
 * usable record, a map has no entry for it, a registry said "unknown".
 *
 * <p>This is the one failure the agent takes as a definite "no such node": it
 * ends the resolver chain, replaces any earlier answer for the node and is
 * remembered for {@code dns.negative-ttl} (RFC 2308). Every other exception
 * a resolver throws, an {@link UnavailableException}, a plain
 * {@link IOException} such as a {@code SocketTimeoutException} from an HTTP
 * client, or a bug, means "could not find out": the agent keeps the last good
 * answer (RFC 8767) and asks the next resolver. So a failure a resolver does
 * not classify is taken the safe way.
 */
public final class NodeNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was asked, of whom, and what came back, for example
     *        {@code "SRV node-0.svc.service.consul: NXDOMAIN from 127.0.0.1:8600"}
     */
    public NodeNotFoundException(String message) {
        super(message);
    }

    /**
     * @param message what was asked, of whom, and what came back
     * @param cause the underlying failure
     */
    public NodeNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
