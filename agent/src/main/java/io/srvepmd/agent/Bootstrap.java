package io.srvepmd.agent;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Everything the settings decide, built once: the resolver chain behind its
 * cache, and the core the JInterface hooks call. Shared by the agent and the
 * command line, so both resolve exactly alike.
 */
final class Bootstrap {

    final Settings settings;
    final CoreSettings core;
    final List<NamedResolver> chain;
    final LocalNodes localNodes;
    final NodeResolver resolver;

    /** Wires a chain created elsewhere (benchmarks, tests) exactly as {@link #from} does. */
    Bootstrap(Settings settings, CoreSettings core, List<NamedResolver> chain) {
        this.settings = settings;
        this.core = core;
        this.chain = chain;
        this.localNodes = new LocalNodes(core.helperPattern());
        this.resolver = new NodeResolver(chain, localNodes,
                new CachePolicy(core.minTtl(), core.maxTtl(), core.negativeTtl(), core.staleTtl()), new SystemClock());
    }

    /**
     * Reads and validates every setting and creates the resolvers; no network I/O.
     *
     * <p>Most deployments use only the built-in {@code dns-srv} resolver, so that
     * is tried first without scanning the class path for providers (~10 ms of
     * the host's start-up). Any configuration error — an unknown key or
     * resolver name among them, which a provider jar on the class path may
     * know — sends it through full discovery, whose verdict stands.
     */
    static Bootstrap from(String agentArgs) throws ConfigException {
        try {
            return from(agentArgs, Providers.builtIn());
        } catch (ConfigException needsTheClassPath) {
            return from(agentArgs, Providers.discover(ClassLoader.getSystemClassLoader()));
        }
    }

    private static Bootstrap from(String agentArgs, Providers providers) throws ConfigException {
        Settings settings = Settings.load(agentArgs, System.getProperties(), System.getenv(),
                Settings.knownKeys(providers.all()));
        CoreSettings core = CoreSettings.from(settings);
        return new Bootstrap(settings, core, providers.create(core.resolvers(), settings));
    }

    AgentCore agentCore() {
        return new AgentCore(resolver, localNodes, new ListenPorts(core, localNodes, new Environment()),
                new JInterfaceNodes(core.connectTimeout()), core.distLow(), core.distHigh());
    }

    void close() {
        for (NamedResolver r : chain) {
            try {
                r.resolver().close();
            } catch (RuntimeException e) {
                // shutting down: nothing useful to do with it
            }
        }
    }

    // Named classes instead of lambdas or method references: the first lambda in a
    // JVM bootstraps java.lang.invoke, ~10-20 ms of the host's start-up.

    private static final class SystemClock implements LongSupplier {
        @Override
        public long getAsLong() {
            return System.nanoTime();
        }
    }

    private static final class Environment implements Function<String, String> {
        @Override
        public String apply(String name) {
            return System.getenv(name);
        }
    }
}
