package io.srvepmd.spi;

import java.io.IOException;

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
     * @throws UnavailableException if no DNS server answered usably in time
     * @throws IOException if the name does not exist or has no address; the
     *         message names the host and where it was asked
     */
    Resolution resolve(String host, int port) throws IOException;
}
