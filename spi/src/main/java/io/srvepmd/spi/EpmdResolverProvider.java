package io.srvepmd.spi;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Service-provider class for {@link EpmdResolver}s, found with
 * {@link java.util.ServiceLoader}.
 *
 * <p>Shaped like {@code java.net.spi.InetAddressResolverProvider}: the provider
 * is a light factory with a stable {@link #name()}; the resolver it creates
 * does the work. A provider's constructor and {@link #configurationKeys()} must
 * be cheap: every provider on the class path is instantiated at JVM start-up so
 * that the agent can reject configuration keys nobody reads.
 */
public abstract class EpmdResolverProvider {

    /** For subclasses; a provider needs a public no-argument constructor. */
    protected EpmdResolverProvider() {
    }

    /**
     * The name by which the {@code resolvers} setting selects this provider,
     * such as {@code dns-srv} or {@code static}. Stable across releases; lower
     * case letters, digits and {@code -}.
     *
     * @return the provider's name
     */
    public abstract String name();

    /**
     * The configuration keys this provider reads, without the
     * {@code srvepmd.} prefix, for example {@code static.nodes}. By convention
     * they start with the provider's name or a short form of it. The agent
     * rejects a key that neither it nor any provider on the class path
     * declares, so a typo cannot pass silently.
     *
     * @return the keys; empty by default
     */
    public Set<String> configurationKeys() {
        return Set.of();
    }

    /**
     * Creates the resolver. Called once, at agent start-up, for each provider
     * named in {@code resolvers}. It should validate its configuration here and
     * do no network I/O.
     *
     * @param configuration the agent's settings, read-only
     * @return a resolver, never {@code null}
     * @throws IllegalArgumentException if a setting is invalid; the message
     *         must name the key, the value and what a valid value looks like
     */
    public abstract EpmdResolver get(Configuration configuration);

    /**
     * A read-only view of the agent's settings, after the agent has applied its
     * precedence (agent arguments, system properties, environment, defaults),
     * and the agent's services a resolver may use.
     *
     * <p>The typed getters read a value with the agent's one grammar and report
     * a bad value in the agent's one message style, naming the setting, where it
     * came from, the value and what a valid value looks like, for example
     * {@code system property srvepmd.lab.port='80x' is not a valid TCP port;
     * expected a number 1-65535}. They throw {@link IllegalArgumentException},
     * which {@link EpmdResolverProvider#get} may let through: the agent turns it
     * into its one-line configuration error.
     */
    public interface Configuration {

        /**
         * The value of a key, without the {@code srvepmd.} prefix.
         *
         * @param key for example {@code static.nodes}
         * @return the configured value, or empty if the key is not set
         */
        Optional<String> get(String key);

        /**
         * Where a key's value came from, to start an error message: for example
         * {@code "agent argument dns.servers"}, {@code "environment variable
         * SRVEPMD_DNS_SERVERS"}, or {@code "setting dns.servers"} when the key
         * is not set.
         *
         * @param key the key, without the {@code srvepmd.} prefix
         * @return a short description of the key's source
         */
        String describe(String key);

        /**
         * The value of a key that must be set.
         *
         * @param key the key
         * @return the value, trimmed
         * @throws IllegalArgumentException if it is not set or blank; the message says how to set it
         */
        default String require(String key) {
            Optional<String> v = get(key);
            if (v.isEmpty() || v.get().isBlank()) {
                throw new IllegalArgumentException(describe(key) + " is not set; set it with -Dsrvepmd." + key
                        + "=..., the environment variable SRVEPMD_"
                        + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_')
                        + " or the agent argument " + key + "=...");
            }
            return v.get().trim();
        }

        /**
         * A duration written with a unit: {@code 500ms}, {@code 2s}, {@code 5m}
         * or {@code 1h} (a bare number is rejected rather than guessed), from 0
         * to 24h.
         *
         * @param key the key
         * @param defaultValue the value when the key is not set
         * @return the duration
         * @throws IllegalArgumentException if the value is not such a duration
         */
        default Duration getDuration(String key, Duration defaultValue) {
            return getDuration(key, defaultValue, Duration.ZERO, SettingValues.DEFAULT_MAX_DURATION);
        }

        /**
         * A duration, as {@link #getDuration(String, Duration)}, within bounds.
         *
         * @param key the key
         * @param defaultValue the value when the key is not set
         * @param min the smallest valid value
         * @param max the largest valid value
         * @return the duration
         * @throws IllegalArgumentException if the value is not a duration or out of bounds
         */
        default Duration getDuration(String key, Duration defaultValue, Duration min, Duration max) {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return defaultValue;
            }
            try {
                return SettingValues.duration(v.get(), min, max);
            } catch (IllegalArgumentException e) {
                throw invalid(key, v.get(), e);
            }
        }

        /**
         * A whole number within bounds.
         *
         * @param key the key
         * @param defaultValue the value when the key is not set
         * @param min the smallest valid value
         * @param max the largest valid value
         * @return the number
         * @throws IllegalArgumentException if the value is not such a number
         */
        default int getInt(String key, int defaultValue, int min, int max) {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return defaultValue;
            }
            try {
                return SettingValues.integer(v.get(), min, max);
            } catch (IllegalArgumentException e) {
                throw invalid(key, v.get(), e);
            }
        }

        /**
         * A TCP port, 1-65535.
         *
         * @param key the key
         * @return the port, or empty if the key is not set
         * @throws IllegalArgumentException if the value is not a port
         */
        default OptionalInt getPort(String key) {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return OptionalInt.empty();
            }
            try {
                return OptionalInt.of(SettingValues.port(v.get()));
            } catch (IllegalArgumentException e) {
                throw invalid(key, v.get(), e);
            }
        }

        /**
         * {@code true} or {@code false}.
         *
         * @param key the key
         * @param defaultValue the value when the key is not set
         * @return the value
         * @throws IllegalArgumentException if the value is neither
         */
        default boolean getBoolean(String key, boolean defaultValue) {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return defaultValue;
            }
            try {
                return SettingValues.bool(v.get());
            } catch (IllegalArgumentException e) {
                throw invalid(key, v.get(), e);
            }
        }

        /**
         * Items separated by commas, each trimmed.
         *
         * @param key the key
         * @param defaultValue the value when the key is not set
         * @return the items; empty if the value is blank
         * @throws IllegalArgumentException if an item is empty ({@code a,,b})
         */
        default List<String> getList(String key, List<String> defaultValue) {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return defaultValue;
            }
            try {
                return List.copyOf(SettingValues.list(v.get()));
            } catch (IllegalArgumentException e) {
                throw invalid(key, v.get(), e);
            }
        }

        /**
         * Socket addresses separated by commas: IP literals with optional
         * ports, such as {@code 127.0.0.1:8600,[::1]:53,10.0.0.2}. Host names
         * are rejected: resolving them would itself need a lookup.
         *
         * @param key the key
         * @param defaultPort the port of an entry that names none
         * @return the addresses in the order written, without duplicates; empty if not set
         * @throws IllegalArgumentException if an entry is not such an address
         */
        default List<InetSocketAddress> getAddresses(String key, int defaultPort) {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return List.of();
            }
            try {
                return List.copyOf(SettingValues.addresses(v.get(), defaultPort));
            } catch (IllegalArgumentException e) {
                throw invalid(key, v.get(), e);
            }
        }

        /**
         * The agent's way to find a host's addresses, for resolvers whose
         * entries name hosts rather than addresses: the hosts file first, then
         * A/AAAA questions to the agent's DNS servers ({@code dns.servers}),
         * never a JVM-wide cache, so that an answer the agent dropped after a
         * failed connection is asked again. The default, for configurations
         * made outside the agent (a resolver's own tests), uses
         * {@link java.net.InetAddress#getAllByName}.
         *
         * @return the host resolver
         */
        default HostResolver hostResolver() {
            return SystemHostResolver.INSTANCE;
        }

        private IllegalArgumentException invalid(String key, String value, IllegalArgumentException why) {
            return new IllegalArgumentException(describe(key) + "='" + value + "' " + why.getMessage(), why);
        }
    }
}
