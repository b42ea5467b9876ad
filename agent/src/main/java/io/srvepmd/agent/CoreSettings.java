package io.srvepmd.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The agent's own settings, parsed and validated once at start-up. Resolver
 * settings are parsed by their providers.
 */
final class CoreSettings {

    public static final String RESOLVERS = "resolvers";
    public static final String DIST_PORT = "dist.port";
    public static final String DIST_PORT_REQUIRED = "dist.port-required";
    public static final String DIST_HELPER_PATTERN = "dist.helper-pattern";
    public static final String DIST_VERSION = "dist.version";
    public static final String CONNECT_TIMEOUT = "connect.timeout";
    public static final String MIN_TTL = "dns.min-ttl";
    public static final String MAX_TTL = "dns.max-ttl";
    public static final String NEGATIVE_TTL = "dns.negative-ttl";
    public static final String STALE_TTL = "dns.stale-ttl";

    static final Set<String> KEYS = Set.of(RESOLVERS, DIST_PORT, DIST_PORT_REQUIRED, DIST_HELPER_PATTERN,
            DIST_VERSION, CONNECT_TIMEOUT, MIN_TTL, MAX_TTL, NEGATIVE_TTL, STALE_TTL);

    private final List<String> resolvers;
    private final OptionalInt distPort;
    private final boolean distPortRequired;
    private final HelperNames helperPattern;
    private final int distLow;
    private final int distHigh;
    private final Duration connectTimeout;
    private final Duration minTtl;
    private final Duration maxTtl;
    private final Duration negativeTtl;
    private final Duration staleTtl;

    private CoreSettings(Settings s) throws ConfigException {
        resolvers = list(s, RESOLVERS, "dns-srv");
        distPort = s.get(DIST_PORT).isPresent()
                ? OptionalInt.of(port(s.get(DIST_PORT).get(), s.describe(DIST_PORT)))
                : OptionalInt.empty();
        distPortRequired = bool(s, DIST_PORT_REQUIRED, false);
        helperPattern = helpers(s, DIST_HELPER_PATTERN);
        int[] versions = versions(s.get(DIST_VERSION).orElse("5"), s.describe(DIST_VERSION));
        distLow = versions[0];
        distHigh = versions[1];
        connectTimeout = duration(s, CONNECT_TIMEOUT, "5s");
        minTtl = duration(s, MIN_TTL, "5s");
        maxTtl = duration(s, MAX_TTL, "5m");
        negativeTtl = duration(s, NEGATIVE_TTL, "1s");
        staleTtl = duration(s, STALE_TTL, "30m");
        if (minTtl.compareTo(maxTtl) > 0) {
            throw new ConfigException(s.describe(MIN_TTL) + "=" + minTtl.toMillis() + "ms is larger than "
                    + s.describe(MAX_TTL) + "=" + maxTtl.toMillis() + "ms; the minimum must not exceed the maximum");
        }
        if (connectTimeout.isZero()) {
            throw new ConfigException(s.describe(CONNECT_TIMEOUT) + "='" + s.get(CONNECT_TIMEOUT).orElse("")
                    + "' would never connect; use e.g. 5s");
        }
    }

    public static CoreSettings from(Settings settings) throws ConfigException {
        return new CoreSettings(settings);
    }

    /** Parses a TCP port 1-65535; {@code what} names the setting or variable for the message. */
    public static int port(String value, String what) throws ConfigException {
        String v = value.trim();
        try {
            int port = Integer.parseInt(v);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new ConfigException(what + "='" + value + "' is not a valid TCP port; expected a number 1-65535");
    }

    private static List<String> list(Settings s, String key, String dflt) throws ConfigException {
        List<String> items = new ArrayList<>();
        for (String item : s.get(key).orElse(dflt).split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        if (items.isEmpty()) {
            throw new ConfigException(s.describe(key) + " is empty; name at least one resolver, e.g. dns-srv");
        }
        return List.copyOf(items);
    }

    private static boolean bool(Settings s, String key, boolean dflt) throws ConfigException {
        String v = s.get(key).orElse(Boolean.toString(dflt)).trim();
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new ConfigException(s.describe(key) + "='" + v + "' is not a boolean; use true or false");
    }

    private static HelperNames helpers(Settings s, String key) throws ConfigException {
        String v = s.get(key).orElse(HelperNames.DEFAULT);
        try {
            return HelperNames.of(v);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(s.describe(key) + "='" + v + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    private static int[] versions(String v, String what) throws ConfigException {
        String[] parts = v.trim().split("-", 2);
        try {
            int low = Integer.parseInt(parts[0].trim());
            int high = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : low;
            if (low >= 1 && high >= low && high <= 65535) {
                return new int[] {low, high};
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new ConfigException(what + "='" + v + "' is not a distribution version; write e.g. 5 or 5-6");
    }

    private static Duration duration(Settings s, String key, String dflt) throws ConfigException {
        return Durations.parse(s.get(key).orElse(dflt), s.describe(key));
    }

    public List<String> resolvers() {
        return resolvers;
    }

    /** The configured {@code dist.port}; empty means: read {@code ERL_DIST_PORT}. */
    public OptionalInt distPort() {
        return distPort;
    }

    public boolean distPortRequired() {
        return distPortRequired;
    }

    public HelperNames helperPattern() {
        return helperPattern;
    }

    public int distLow() {
        return distLow;
    }

    public int distHigh() {
        return distHigh;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration minTtl() {
        return minTtl;
    }

    public Duration maxTtl() {
        return maxTtl;
    }

    public Duration negativeTtl() {
        return negativeTtl;
    }

    public Duration staleTtl() {
        return staleTtl;
    }
}
