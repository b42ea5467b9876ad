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

    /**
     * How getaddrinfo(3) says the name has no address (EAI_NONAME, EAI_NODATA; the
     * JDK puts gai_strerror's text in the message). Anything else, EAI_AGAIN's
     * "Temporary failure in name resolution" among them, means "could not find out".
     */
    private static final List<String> NOT_FOUND = List.of("Name or service not known",
            "No address associated with hostname", "nodename nor servname provided, or not known");

    private SystemHostResolver() {
    }

    @Override
    public Resolution resolve(String host, int port) throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            String why = "host '" + host + "' is unknown to the system resolver: " + e.getMessage();
            throw isNotFound(e) ? new NodeNotFoundException(why, e) : new UnavailableException(why, e);
        }
        List<InetAddress> list = Arrays.asList(addresses);
        return Resolution.of(List.of(Candidate.of(list, port, 0, 0)), Duration.ZERO,
                "host " + host + " via the system resolver");
    }

    static boolean isNotFound(UnknownHostException e) {
        String message = e.getMessage();
        if (message == null) {
            return false;
        }
        for (String phrase : NOT_FOUND) {
            if (message.endsWith(phrase)) {
                return true;
            }
        }
        return false;
    }
}
