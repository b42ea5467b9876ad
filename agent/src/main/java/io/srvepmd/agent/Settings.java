package io.srvepmd.agent;

import io.srvepmd.dns.DnsSrvResolverProvider;
import io.srvepmd.spi.EpmdResolverProvider;
import io.srvepmd.spi.HostResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every setting the agent and its resolvers read, with where each came from.
 *
 * <p>One precedence, strongest first: agent arguments, system properties
 * {@code srvepmd.<key>}, environment {@code SRVEPMD_<KEY>} (upper case,
 * {@code .} and {@code -} become {@code _}), then each reader's default. A key
 * that neither the agent nor any resolver provider declares is an error, so a
 * typo never passes silently.
 */
final class Settings implements EpmdResolverProvider.Configuration {

    static final String PROPERTY_PREFIX = "srvepmd.";
    static final String ENV_PREFIX = "SRVEPMD_";

    private final Map<String, String> values;
    private final Map<String, String> sources;
    private volatile HostResolver hostResolver;

    private Settings(Map<String, String> values, Map<String, String> sources) {
        this.values = values;
        this.sources = sources;
    }

    /**
     * @param agentArgs the string after {@code =} in {@code -javaagent:}, may be null
     * @param properties system properties
     * @param env the environment
     * @param knownKeys every key the agent and the providers on the class path read
     */
    public static Settings load(String agentArgs, Properties properties, Map<String, String> env,
                                Set<String> knownKeys) throws ConfigException {
        Map<String, String> values = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        Map<String, String> envNames = new HashMap<>();
        for (String key : knownKeys) {
            envNames.put(envName(key), key);
        }
        // Weakest first, so that stronger sources overwrite.
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX)) {
                String key = envNames.get(e.getKey());
                if (key == null) {
                    throw unknown("environment variable " + e.getKey(), e.getValue(), knownKeys);
                }
                values.put(key, e.getValue());
                sources.put(key, "environment variable " + e.getKey());
            }
        }
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                String key = name.substring(PROPERTY_PREFIX.length());
                check(key, "system property " + name, properties.getProperty(name), knownKeys);
                values.put(key, properties.getProperty(name));
                sources.put(key, "system property " + name);
            }
        }
        for (Map.Entry<String, String> e : AgentArguments.parse(agentArgs).entrySet()) {
            check(e.getKey(), "agent argument " + e.getKey(), e.getValue(), knownKeys);
            values.put(e.getKey(), e.getValue());
            sources.put(e.getKey(), "agent argument " + e.getKey());
        }
        return new Settings(values, sources);
    }

    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void check(String key, String source, String value, Set<String> knownKeys)
            throws ConfigException {
        if (!knownKeys.contains(key)) {
            throw unknown(source, value, knownKeys);
        }
    }

    private static ConfigException unknown(String source, String value, Set<String> knownKeys) {
        return new ConfigException("unknown setting " + source + "='" + value + "'; known keys: "
                + String.join(", ", knownKeys) + " (a resolver's keys are known only when its jar is on the class path)");
    }

    /** @return one line per key that is set, {@code key=value (source)}, sorted by key */
    public List<String> explicitSettings() {
        List<String> lines = new ArrayList<>();
        for (String key : new TreeSet<>(values.keySet())) {
            String value = key.endsWith("password") ? "(hidden)" : values.get(key);
            lines.add(key + "=" + value + "  (" + sources.get(key) + ")");
        }
        return lines;
    }

    /**
     * The agent's host resolver: the built-in {@code dns-srv} resolver, which
     * also finds hosts (the hosts file, then A/AAAA questions to
     * {@code dns.servers}), created on first use from these settings.
     *
     * @throws IllegalArgumentException if a {@code dns.*} setting it needs is invalid
     */
    @Override
    public HostResolver hostResolver() {
        HostResolver h = hostResolver;
        if (h == null) {
            synchronized (this) {
                h = hostResolver;
                if (h == null) {
                    h = (HostResolver) new DnsSrvResolverProvider().get(this);
                    hostResolver = h;
                }
            }
        }
        return h;
    }

    /** Closes the host resolver, if one was made. */
    void close() {
        HostResolver h = hostResolver;
        if (h instanceof AutoCloseable) {
            try {
                ((AutoCloseable) h).close();
            } catch (Exception e) {
                // shutting down: nothing useful to do with it
            }
        }
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public String describe(String key) {
        String source = sources.get(key);
        return source != null ? source : "setting " + key;
    }
}
