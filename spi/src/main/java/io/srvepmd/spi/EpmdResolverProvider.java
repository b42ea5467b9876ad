package io.srvepmd.spi;

import java.util.Optional;
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
     * precedence (agent arguments, system properties, environment, defaults).
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
         * Where a key's value came from, for error messages: for example
         * {@code "agent argument dns.servers"} or {@code "environment SRVEPMD_DNS_SERVERS"}.
         *
         * @param key the key, without the {@code srvepmd.} prefix
         * @return a short description of the key's source
         */
        String describe(String key);
    }
}
