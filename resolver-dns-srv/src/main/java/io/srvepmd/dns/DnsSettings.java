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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m)?");

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
        List<InetSocketAddress> servers = read(c, SERVERS, Servers::parseList,
                "a comma-separated list of IP addresses with optional ports, such as"
                        + " 127.0.0.1:8600,[::1]:53,10.0.0.2").orElseGet(() -> defaultServers(resolvConf));
        Duration timeout = read(c, TIMEOUT, DnsSettings::parseDuration,
                "a positive duration up to 1h such as 2s, 500ms or 1m (a plain number means milliseconds)")
                .orElse(DEFAULT_TIMEOUT);
        QueryTemplate query = read(c, QUERY, QueryTemplate::parse,
                "a DNS name with the placeholders {alive} and {host}, such as " + QueryTemplate.DEFAULT
                        + " or _epmd._tcp.{alive}.{host}")
                .orElseGet(() -> QueryTemplate.parse(QueryTemplate.DEFAULT));
        Family family = read(c, FAMILY, DnsSettings::parseFamily, Family.choices()).orElse(Family.ANY);
        String service = read(c, SERVICE, DnsSettings::parseService,
                "a DNS name such as my-service.service.consul").orElse(null);
        return new DnsSettings(servers, timeout, query, family, service);
    }

    private static <T> Optional<T> read(Configuration c, String key, Function<String, T> parser, String valid) {
        Optional<String> raw = c.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String value = raw.get();
        if (value.isBlank() && key.equals(SERVICE)) {
            return Optional.empty(); // an empty service switches listing off, like an unset one
        }
        try {
            return Optional.of(parser.apply(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " = '" + value + "' (" + c.describe(key) + ") is invalid: "
                    + e.getMessage() + "; expected " + valid, e);
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
     * Parses {@code <n>ms}, {@code <n>s}, {@code <n>m} or a plain {@code <n>} in milliseconds.
     */
    static Duration parseDuration(String value) {
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
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

    @Override
    public String toString() {
        return "dns-srv servers " + Servers.format(servers) + ", timeout " + timeout.toMillis() + " ms, query "
                + query + ", family " + family.setting() + (service == null ? "" : ", service " + service);
    }
}
