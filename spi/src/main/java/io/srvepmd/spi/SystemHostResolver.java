package io.srvepmd.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link HostResolver} of configurations made outside the agent (a
 * resolver's own tests): the JDK's system resolver. Its answers are cached
 * JVM-wide by the JDK ({@code networkaddress.cache.ttl}), so it reports a TTL
 * of zero rather than one it cannot know.
 */
final class SystemHostResolver implements HostResolver {

    static final SystemHostResolver INSTANCE = new SystemHostResolver();

    private SystemHostResolver() {
    }

    @Override
    public Resolution resolve(String host, int port) throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IOException("host '" + host + "' is unknown to the system resolver: " + e.getMessage(), e);
        }
        List<InetAddress> list = Arrays.asList(addresses);
        return Resolution.of(List.of(Candidate.of(list, port, 0, 0)), Duration.ZERO,
                "host " + host + " via the system resolver");
    }
}
