package io.srvepmd.agent;

import java.util.List;

/**
 * Everything the settings decide, built once: the resolver chain behind its
 * cache, and the core the JInterface hooks call. Shared by the agent and the
 * command line, so both resolve exactly alike.
 */
final class Bootstrap {

    final Settings settings;
    final CoreSettings core;
    final LocalNodes localNodes;
    final ResolverCalls calls;
    final ResolverChain chain;
    final NodeResolver resolver;
    final NodeListing listing;
    final Telemetry telemetry = new Telemetry();
    /** Mutual-TLS distribution; null when {@code tls.enabled=false} (then no TLS class is loaded). */
    final TlsTransports tls;

    /** Wires a chain created elsewhere (benchmarks, tests) exactly as {@link #from} does. */
    Bootstrap(Settings settings, CoreSettings core, List<NamedResolver> resolvers) {
        this(settings, core, resolvers, null);
    }

    /** As above, with TLS distribution ({@code tls} from {@link TlsTransports#start}, or null). */
    Bootstrap(Settings settings, CoreSettings core, List<NamedResolver> resolvers, TlsTransports tls) {
        this.tls = tls;
        this.settings = settings;
        this.core = core;
        this.localNodes = new LocalNodes(core.helperPattern());
        this.calls = new ResolverCalls(Clock.SYSTEM);
        this.chain = new ResolverChain(resolvers, calls, core.cachePolicy(), Clock.SYSTEM);
        this.resolver = new NodeResolver(localNodes, new NodeCache(core.cachePolicy().capacity, Clock.SYSTEM), chain,
                core.timeout(), Clock.SYSTEM, telemetry);
        this.listing = new NodeListing(chain, calls, core.timeout(), Clock.SYSTEM);
    }

    /**
     * Reads and validates every setting and creates the resolvers; no network I/O.
     *
     * <p>Most deployments use only the built-in {@code dns-srv} resolver, so that
     * is tried first without scanning the class path for providers (~10 ms of
     * the host's start-up). Any configuration error — an unknown key or
     * resolver name among them, which a provider jar on the class path may
     * know — sends it through full discovery, whose verdict stands. When that
     * verdict is an unknown key or resolver, the error also names any class-path
     * jar holding providers it does not register (see {@link Providers#explainUnknown}).
     */
    static Bootstrap from(String agentArgs) throws ConfigException {
        try {
            return from(agentArgs, Providers.builtIn());
        } catch (ConfigException needsTheClassPath) {
            return from(agentArgs, Providers.discover(ClassLoader.getSystemClassLoader()));
        }
    }

    private static Bootstrap from(String agentArgs, Providers providers) throws ConfigException {
        Settings settings;
        try {
            settings = Settings.load(agentArgs, System.getProperties(), System.getenv(), providers.knownKeys());
        } catch (ConfigException unknownKey) {
            throw providers.explainUnknown(unknownKey);
        }
        CoreSettings core = CoreSettings.from(settings);
        List<NamedResolver> resolvers = providers.create(core.resolvers(), settings);
        // last: its warnings (a certificate no CA of the bundle issued) are logged once, on the pass that starts
        TlsTransports tls = core.tlsEnabled() ? TlsTransports.start(settings, core) : null;
        return new Bootstrap(settings, core, resolvers, tls);
    }

    AgentCore agentCore() {
        return agentCore(new Environment());
    }

    /** @param env the process environment ({@code ERL_DIST_PORT}), replaceable in tests */
    AgentCore agentCore(java.util.function.Function<String, String> env) {
        return new AgentCore(resolver, listing, localNodes, new ListenPorts(core, localNodes, env),
                new JInterfaceNodes(telemetry, core.connectTimeout(), core.connectTotalTimeout(),
                        core.connectMaxAttempts(), tls), telemetry);
    }

    /**
     * Closes the resolvers, waiting for them at most {@link ResolverClosing#BOUND_MILLIS}:
     * this runs in a shutdown hook, and a plug-in whose close blocks must not hang the JVM's exit.
     */
    void close() {
        ResolverClosing.closeAll(chain.resolvers());
        calls.close();
        settings.close();
    }

    /** A named class (start-up discipline, it-tests' StartupDisciplineTest). */
    private static final class Environment implements java.util.function.Function<String, String> {
        @Override
        public String apply(String name) {
            return System.getenv(name);
        }
    }
}
