/**
 * The service-provider interface of srv-epmd: how a node name becomes the
 * addresses and port a JInterface program connects to.
 *
 * <p>A plug-in implements {@link io.srvepmd.spi.EpmdResolverProvider} and
 * registers it in {@code META-INF/services/io.srvepmd.spi.EpmdResolverProvider}
 * (for example with {@code @AutoService}). The agent finds providers in its own
 * jar and on the application's class path, creates the ones named by the
 * {@code resolvers} setting, and asks their {@link io.srvepmd.spi.EpmdResolver}s
 * in that order. Caching, stale answers, query coalescing, candidate ordering
 * and connection failover are done by the agent for every resolver, so a
 * resolver only answers "where is this node now, and for how long is that
 * true".
 *
 * <p>{@link io.srvepmd.spi.EpmdResolverProvider.Configuration} reads settings
 * with the agent's one grammar (typed getters whose errors name the setting,
 * its source and what is valid) and offers the agent's
 * {@link io.srvepmd.spi.HostResolver} for entries that name hosts. See
 * {@link io.srvepmd.spi.EpmdResolver} for what the agent bounds and what a
 * resolver must bound itself.
 *
 * <p>This package has no dependencies beyond {@code java.base}.
 */
package io.srvepmd.spi;
