package io.srvepmd.agent;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The agent's own settings, read once at start-up through the same typed
 * getters every resolver uses (one grammar, one message style). Resolver
 * settings are read by their providers.
 */
final class CoreSettings {

    /** The kill switch, read first and on its own by {@link KillSwitch}. */
    static final String ENABLED = "enabled";
    static final String RESOLVERS = "resolvers";
    static final String DIST_PORT = "dist.port";
    static final String DIST_PORT_REQUIRED = "dist.port-required";
    static final String DIST_HELPER_PATTERN = "dist.helper-pattern";
    static final String CONNECT_TIMEOUT = "connect.timeout";
    static final String CONNECT_TOTAL_TIMEOUT = "connect.total-timeout";
    static final String CONNECT_MAX_ATTEMPTS = "connect.max-attempts";
    static final String TIMEOUT = "dns.timeout";
    static final String MIN_TTL = "dns.min-ttl";
    static final String MAX_TTL = "dns.max-ttl";
    static final String NEGATIVE_TTL = "dns.negative-ttl";
    static final String STALE_TTL = "dns.stale-ttl";
    static final String CACHE_SIZE = "dns.cache-size";
    static final String EVERY_LOADER = "jinterface.every-loader";

    static final Set<String> KEYS = Set.of(ENABLED, RESOLVERS, DIST_PORT, DIST_PORT_REQUIRED, DIST_HELPER_PATTERN,
            CONNECT_TIMEOUT, CONNECT_TOTAL_TIMEOUT, CONNECT_MAX_ATTEMPTS, TIMEOUT, MIN_TTL, MAX_TTL, NEGATIVE_TTL,
            STALE_TTL, CACHE_SIZE, EVERY_LOADER,
            // TLS: constants, so naming them loads no TLS class (read by TlsSettings when tls.enabled=true)
            TlsSettings.ENABLED, TlsSettings.CERTFILE, TlsSettings.KEYFILE, TlsSettings.CACERTFILE,
            TlsSettings.PASSWORD, TlsSettings.VERSIONS, TlsSettings.CIPHERS, TlsSettings.CRLFILE,
            TlsSettings.HOSTNAME_CHECK);

    private static final Duration ONE_MS = Duration.ofMillis(1);
    private static final Duration ONE_HOUR = Duration.ofHours(1);
    private static final Duration ONE_DAY = Duration.ofDays(1);

    private final List<String> resolvers;
    private final OptionalInt distPort;
    private final boolean distPortRequired;
    private final HelperNames helperPattern;
    private final Duration connectTimeout;
    private final Duration connectTotalTimeout;
    private final int connectMaxAttempts;
    private final Duration timeout;
    private final CachePolicy cachePolicy;
    private final boolean everyLoader;
    private final boolean tlsEnabled;

    private CoreSettings(Settings s) throws ConfigException {
        try {
            s.getBoolean(ENABLED, true); // only checked here (settings, doctor): KillSwitch acts on it
            resolvers = s.getList(RESOLVERS, List.of("dns-srv"));
            distPort = s.getPort(DIST_PORT);
            distPortRequired = s.getBoolean(DIST_PORT_REQUIRED, false);
            connectTimeout = s.getDuration(CONNECT_TIMEOUT, Duration.ofSeconds(5), ONE_MS, ONE_HOUR);
            connectTotalTimeout = s.getDuration(CONNECT_TOTAL_TIMEOUT, Duration.ofSeconds(10), ONE_MS, ONE_HOUR);
            connectMaxAttempts = s.getInt(CONNECT_MAX_ATTEMPTS, 8, 1, 1000);
            tlsEnabled = s.getBoolean(TlsSettings.ENABLED, false);
            timeout = s.getDuration(TIMEOUT, Duration.ofSeconds(2), ONE_MS, ONE_HOUR);
            cachePolicy = new CachePolicy(s.getDuration(MIN_TTL, Duration.ofSeconds(5), Duration.ZERO, ONE_DAY),
                    s.getDuration(MAX_TTL, Duration.ofMinutes(5), Duration.ZERO, ONE_DAY),
                    s.getDuration(NEGATIVE_TTL, Duration.ofSeconds(1), Duration.ZERO, ONE_HOUR),
                    s.getDuration(STALE_TTL, Duration.ofMinutes(30), Duration.ZERO, ONE_DAY),
                    s.getInt(CACHE_SIZE, 10_000, 1, 1_000_000));
            everyLoader = s.getBoolean(EVERY_LOADER, false);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (resolvers.isEmpty()) {
            throw new ConfigException(s.describe(RESOLVERS) + " is empty; name at least one resolver, e.g. dns-srv");
        }
        helperPattern = helpers(s);
        if (cachePolicy.minTtl().compareTo(cachePolicy.maxTtl()) > 0) {
            throw new ConfigException(s.describe(MIN_TTL) + "=" + s.get(MIN_TTL).orElse("5s") + " is larger than "
                    + s.describe(MAX_TTL) + "=" + s.get(MAX_TTL).orElse("5m")
                    + "; the minimum must not exceed the maximum");
        }
    }

    static CoreSettings from(Settings settings) throws ConfigException {
        return new CoreSettings(settings);
    }

    private static HelperNames helpers(Settings s) throws ConfigException {
        String v = s.get(DIST_HELPER_PATTERN).orElse(HelperNames.DEFAULT);
        try {
            return HelperNames.of(v);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(s.describe(DIST_HELPER_PATTERN) + "='" + v
                    + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    List<String> resolvers() {
        return resolvers;
    }

    /** The configured {@code dist.port}; empty means: read {@code ERL_DIST_PORT}. */
    OptionalInt distPort() {
        return distPort;
    }

    boolean distPortRequired() {
        return distPortRequired;
    }

    HelperNames helperPattern() {
        return helperPattern;
    }

    /** Bound on one TCP connect attempt. */
    Duration connectTimeout() {
        return connectTimeout;
    }

    /** Bound on every attempt of one connection together. */
    Duration connectTotalTimeout() {
        return connectTotalTimeout;
    }

    /** How many endpoints one connection tries at most. */
    int connectMaxAttempts() {
        return connectMaxAttempts;
    }

    /** Bound on one whole resolution: every resolver of the chain, every server it asks. */
    Duration timeout() {
        return timeout;
    }

    CachePolicy cachePolicy() {
        return cachePolicy;
    }

    /**
     * Whether JInterface copies that class loaders other than the system one
     * load after it was hooked (child-first web-app or plug-in loaders) are
     * hooked too: the class-file transformer then stays installed, at about
     * 10 us of CPU per class the JVM loads from then on.
     */
    boolean everyLoader() {
        return everyLoader;
    }

    /** Whether distribution connections use mutual TLS ({@code tls.enabled}; the other tls.* keys: TlsSettings). */
    boolean tlsEnabled() {
        return tlsEnabled;
    }
}
