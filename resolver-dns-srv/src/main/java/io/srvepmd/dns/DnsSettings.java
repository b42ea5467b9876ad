package io.srvepmd.dns;

import io.srvepmd.spi.EpmdResolverProvider.Configuration;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The validated settings of the {@code dns-srv} resolver. Parsing uses only
 * the JDK: no dnsjava class is touched and nothing is sent anywhere.
 */
final class DnsSettings {

    static final String SERVERS = "dns.servers";
    static final String TIMEOUT = "dns.timeout";
    static final String QUERY = "dns.query";
    static final String FAMILY = "dns.family";
    static final String SERVICE = "dns.service";
    static final String RESOLUTION_DELAY = "dns.resolution-delay";
    static final String RESOLV_CONF_KEY = "dns.resolv-conf";

    /** The keys this resolver declares; {@code dns.timeout} is the agent's own, read here too. */
    static final Set<String> KEYS = Set.of(SERVERS, QUERY, FAMILY, SERVICE, RESOLUTION_DELAY, RESOLV_CONF_KEY);

    /** The agent's default for {@code dns.timeout}, for configurations made outside the agent. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
    /** RFC 8305 section 3's recommended resolution delay. */
    static final Duration DEFAULT_RESOLUTION_DELAY = Duration.ofMillis(50);

    final List<InetSocketAddress> servers;
    final Duration timeout;
    final QueryTemplate query;
    final Family family;
    /** How long the other address family is waited for once one has answered. */
    final Duration resolutionDelay;
    /** The service to list, without a trailing dot, or {@code null} if listing is off. */
    final String service;

    DnsSettings(List<InetSocketAddress> servers, Duration timeout, QueryTemplate query, Family family,
            Duration resolutionDelay, String service) {
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
        this.query = query;
        this.family = family;
        this.resolutionDelay = resolutionDelay;
        this.service = service;
    }

    /**
     * Reads and checks every setting, with the SPI's typed getters where the
     * value is of a common kind, so every setting fails in the same words.
     *
     * @param c the agent's configuration
     * @param resolvConf where the default servers come from when {@code dns.resolv-conf} is not set
     * @return the settings
     * @throws IllegalArgumentException naming the key, its source, the value and what is valid
     */
    static DnsSettings parse(Configuration c, Path resolvConf) {
        List<InetSocketAddress> servers = c.getAddresses(SERVERS, Servers.DEFAULT_PORT);
        if (servers.isEmpty()) {
            if (c.get(SERVERS).isPresent()) {
                throw new IllegalArgumentException(c.describe(SERVERS) + "='" + c.get(SERVERS).get()
                        + "' is empty; expected IP addresses with optional ports, such as 127.0.0.1:8600,[::1]:53");
            }
            servers = c.get(RESOLV_CONF_KEY).isPresent() ? configuredResolvConf(c) : defaultServers(resolvConf);
        } else if (c.get(RESOLV_CONF_KEY).isPresent()) {
            // Both set: one of them would be ignored, and a setting must not be ignored silently.
            throw invalid(c, RESOLV_CONF_KEY, c.get(RESOLV_CONF_KEY).get(), "is set together with " + SERVERS
                    + ", which it would only be the default of", "one of them: " + SERVERS + " or " + RESOLV_CONF_KEY);
        }
        Duration resolutionDelay = c.getDuration(RESOLUTION_DELAY, DEFAULT_RESOLUTION_DELAY, Duration.ZERO,
                MAX_TIMEOUT);
        // dns.timeout is the agent's (it bounds every resolver); read here with the agent's default and bounds.
        Duration timeout = c.getDuration(TIMEOUT, DEFAULT_TIMEOUT, Duration.ofMillis(1), MAX_TIMEOUT);
        String query = c.get(QUERY).orElse(QueryTemplate.DEFAULT);
        QueryTemplate template;
        try {
            template = QueryTemplate.parse(query.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(c, QUERY, query, e.getMessage(), "a DNS name with the placeholders {alive} and {host},"
                    + " such as " + QueryTemplate.DEFAULT + " or _epmd._tcp.{alive}.{host}");
        }
        String familyValue = c.get(FAMILY).orElse("any");
        Family family = Family.parse(familyValue);
        if (family == null) {
            throw invalid(c, FAMILY, familyValue, "names no address family", Family.choices());
        }
        String service = c.get(SERVICE).orElse("").trim();
        String problem = service.isEmpty() ? null : QueryTemplate.checkDnsName(service);
        if (problem != null) {
            throw invalid(c, SERVICE, c.get(SERVICE).get(), "is not a DNS name: " + problem,
                    "a DNS name such as my-service.service.consul");
        }
        return new DnsSettings(servers, timeout, template, family, resolutionDelay, service.isEmpty() ? null
                : service.endsWith(".") ? service.substring(0, service.length() - 1) : service);
    }

    /** The agent's message style: {@code <source>='<value>' <what is wrong>; expected <what is valid>}. */
    private static IllegalArgumentException invalid(Configuration c, String key, String value, String why,
            String expected) {
        return new IllegalArgumentException(c.describe(key) + "='" + value + "' " + why + "; expected " + expected);
    }

    /** The nameservers of the file {@code dns.resolv-conf} names, which must exist. */
    private static List<InetSocketAddress> configuredResolvConf(Configuration c) {
        String value = c.get(RESOLV_CONF_KEY).get();
        // java.io.File, not Files: start-up discipline (it-tests' StartupDisciplineTest); an
        // invalid path (a NUL character) is no file either.
        File file = new File(value.trim());
        if (value.isBlank() || !file.isFile()) {
            throw invalid(c, RESOLV_CONF_KEY, value, "is not a file", "a file in resolv.conf format, such as"
                    + " /etc/resolv.conf, or leave it unset");
        }
        try {
            List<InetSocketAddress> found = Servers.fromResolvConf(file.toPath());
            return found.isEmpty() ? localhost() : found;
        } catch (IOException e) {
            throw invalid(c, RESOLV_CONF_KEY, value, "cannot be read (" + e + ")", "a readable file in resolv.conf"
                    + " format");
        }
    }

    /** What the C library asks without a usable nameserver line. */
    private static List<InetSocketAddress> localhost() {
        return List.of(new InetSocketAddress(Servers.v4("127.0.0.1"), Servers.DEFAULT_PORT));
    }

    private static List<InetSocketAddress> defaultServers(Path resolvConf) {
        List<InetSocketAddress> found;
        try {
            found = Servers.fromResolvConf(resolvConf);
        } catch (IOException e) {
            throw new IllegalArgumentException(SERVERS + " is not set and its default, the nameserver lines of "
                    + resolvConf + ", cannot be read (" + e + "); set " + SERVERS + " to a comma-separated list"
                    + " of IP addresses with optional ports, such as 127.0.0.1:8600", e);
        }
        return found.isEmpty() ? localhost() : found;
    }

    @Override
    public String toString() {
        return "dns-srv servers " + Servers.format(servers) + ", timeout " + timeout.toMillis() + " ms, query "
                + query + ", family " + family.setting() + ", resolution delay " + resolutionDelay.toMillis() + " ms"
                + (service == null ? "" : ", service " + service);
    }
}
