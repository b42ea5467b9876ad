package io.srvepmd.dns;

import io.srvepmd.spi.EpmdResolverProvider.Configuration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

    static final Set<String> KEYS = Set.of(SERVERS, TIMEOUT, QUERY, FAMILY, SERVICE);

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");


    final List<InetSocketAddress> servers;
    final Duration timeout;
    final QueryTemplate query;
    final Family family;
    /** The service to list, without a trailing dot, or {@code null} if listing is off. */
    final String service;

    DnsSettings(List<InetSocketAddress> servers, Duration timeout, QueryTemplate query, Family family,
            String service) {
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
        this.query = query;
        this.family = family;
        this.service = service;
    }

    /**
     * Reads and checks every setting.
     *
     * @param c the agent's configuration
     * @param resolvConf where the default servers come from
     * @return the settings
     * @throws IllegalArgumentException naming the key, its source, the value and what is valid
     */
    static DnsSettings parse(Configuration c, Path resolvConf) {
        // Plain code (start-up discipline, it-tests' StartupDisciplineTest).
        String servers = value(c, SERVERS);
        String timeout = value(c, TIMEOUT);
        String query = value(c, QUERY);
        String family = value(c, FAMILY);
        String service = value(c, SERVICE);
        String key = SERVERS;
        try {
            List<InetSocketAddress> serverList = servers == null ? null : Servers.parseList(servers);
            key = TIMEOUT;
            Duration timeoutValue = timeout == null ? DEFAULT_TIMEOUT : parseDuration(timeout);
            key = QUERY;
            QueryTemplate template = QueryTemplate.parse(query == null ? QueryTemplate.DEFAULT : query);
            key = FAMILY;
            Family familyValue = family == null ? Family.ANY : parseFamily(family);
            key = SERVICE;
            String serviceValue = service == null || service.isEmpty() ? null : parseService(service);
            return new DnsSettings(serverList == null ? defaultServers(resolvConf) : serverList, timeoutValue,
                    template, familyValue, serviceValue);
        } catch (IllegalArgumentException e) {
            if (key.equals(SERVERS) && servers == null) {
                throw e; // from defaultServers, already complete
            }
            throw new IllegalArgumentException(key + " = '" + c.get(key).orElse("") + "' (" + c.describe(key)
                    + ") is invalid: " + e.getMessage() + "; expected " + expected(key), e);
        }
    }

    /** @return the trimmed value, or null if unset (a blank dns.service switches listing off) */
    private static String value(Configuration c, String key) {
        Optional<String> raw = c.get(key);
        return raw.isPresent() ? raw.get().trim() : null;
    }

    private static String expected(String key) {
        switch (key) {
            case SERVERS:
                return "a comma-separated list of IP addresses with optional ports, such as"
                        + " 127.0.0.1:8600,[::1]:53,10.0.0.2";
            case TIMEOUT:
                return "a positive duration up to 1h such as 2s, 500ms or 1m";
            case QUERY:
                return "a DNS name with the placeholders {alive} and {host}, such as " + QueryTemplate.DEFAULT
                        + " or _epmd._tcp.{alive}.{host}";
            case FAMILY:
                return Family.choices();
            default:
                return "a DNS name such as my-service.service.consul";
        }
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
        if (found.isEmpty()) {
            // What the C library does without a usable nameserver line.
            return List.of(new InetSocketAddress(Servers.v4("127.0.0.1"), Servers.DEFAULT_PORT));
        }
        return found;
    }

    /**
     * Parses {@code <n>ms}, {@code <n>s} or {@code <n>m}. The unit is required: a bare
     * number is ambiguous and would pass silently with the wrong meaning.
     */
    static Duration parseDuration(String value) {
        // By hand (start-up discipline, it-tests' StartupDisciplineTest).
        String v = value.toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < v.length() && v.charAt(digits) >= '0' && v.charAt(digits) <= '9') {
            digits++;
        }
        String unit = v.substring(digits).trim();
        if (digits == 0 || digits > 9 || !(unit.equals("ms") || unit.equals("s") || unit.equals("m"))) {
            throw new IllegalArgumentException("not a duration");
        }
        long n = Long.parseLong(v.substring(0, digits));
        Duration d = unit.equals("ms") ? Duration.ofMillis(n)
                : unit.equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
        if (d.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("more than 1h");
        }
        return d;
    }

    private static Family parseFamily(String value) {
        Family f = Family.parse(value);
        if (f == null) {
            throw new IllegalArgumentException("no such address family");
        }
        return f;
    }

    private static String parseService(String value) {
        String problem = QueryTemplate.checkDnsName(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    }

    /**
     * The time this resolver gives itself for one resolution: {@code dns.timeout}
     * less a reserve of a tenth (at most 200 ms). The agent stops waiting for a
     * resolver at {@code dns.timeout}; finishing a little earlier lets the caller
     * get this resolver's own account of what each server did, rather than the
     * agent's bare "did not answer in time".
     */
    Duration budget() {
        long ms = timeout.toMillis();
        return Duration.ofMillis(ms - Math.min(ms / 10, 200));
    }

    @Override
    public String toString() {
        return "dns-srv servers " + Servers.format(servers) + ", timeout " + timeout.toMillis() + " ms, query "
                + query + ", family " + family.setting() + (service == null ? "" : ", service " + service);
    }
}
