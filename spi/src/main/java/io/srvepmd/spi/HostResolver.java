package io.srvepmd.spi;

import java.io.IOException;
import java.time.Duration;

/**
 * Finds the addresses of a host name, for resolvers whose entries name hosts
 * rather than addresses (the static resolver's {@code *@*.svc.cluster.local=:4370}
 * form, say). Obtained from {@link EpmdResolverProvider.Configuration#hostResolver()}.
 *
 * <p>The agent's implementation reads the hosts file first, then asks the
 * agent's DNS servers for A/AAAA records, and caches nothing itself: the
 * agent caches the {@link Resolution} of the node, and asks again when a
 * connection to it fails.
 */
public interface HostResolver {

    /**
     * Resolves a host name (or IP literal) into one candidate.
     *
     * @param host a host name or an IP literal
     * @param port the distribution port the candidate gets, 1-65535
     * @return a resolution with one candidate holding every address of the
     *         host and {@code port}, and the TTL of the records it came from
     * @throws NodeNotFoundException if the name does not exist or has no
     *         address; the message names the host and where it was asked
     * @throws IOException if it could not find out (no DNS server answered
     *         usably in time: an {@link UnavailableException})
     */
    Resolution resolve(String host, int port) throws IOException;

    /**
     * Resolves a host name (or IP literal) into one candidate within
     * {@code timeout}, for resolvers that honour the timeout they are given.
     * The default ignores the timeout.
     *
     * @param host a host name or an IP literal
     * @param port the distribution port the candidate gets, 1-65535
     * @param timeout how long this call may take; positive
     * @return as {@link #resolve(String, int)}
     * @throws NodeNotFoundException as {@link #resolve(String, int)}
     * @throws IOException as {@link #resolve(String, int)}, a timeout included
     * @since 0.2.0
     */
    default Resolution resolve(String host, int port, Duration timeout) throws IOException {
        return resolve(host, port);
    }
}
