package io.srvepmd.agent;

import io.srvepmd.agent.config.CoreSettings;
import io.srvepmd.agent.config.Settings;
import io.srvepmd.agent.jinterface.JInterfaceNodes;
import io.srvepmd.agent.resolve.CachePolicy;
import io.srvepmd.agent.resolve.ListenPorts;
import io.srvepmd.agent.resolve.LocalNodes;
import io.srvepmd.agent.resolve.NamedResolver;
import io.srvepmd.agent.resolve.NodeResolver;
import io.srvepmd.spi.EpmdResolver;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Benchmark bridge (lives in the agent's package, in the benchmarks jar only): builds the agent's
 * resolution core exactly as {@code Agent.start} does — ServiceLoader discovery, settings, provider
 * chain, {@link NodeResolver}, {@link AgentCore} — without an Instrumentation, so a benchmark can
 * call the body of the hooked {@code OtpEpmd.lookupPort} on a real JInterface {@code OtpPeer}.
 */
public final class BenchAgent implements AutoCloseable {

    private final AgentCore core;
    private final NodeResolver resolver;
    private final List<NamedResolver> chain;

    private BenchAgent(AgentCore core, NodeResolver resolver, List<NamedResolver> chain) {
        this.core = core;
        this.resolver = resolver;
        this.chain = chain;
    }

    /** @param settings keys without the {@code srvepmd.} prefix, e.g. {@code dns.servers} */
    public static BenchAgent create(Map<String, String> settings) throws Exception {
        Properties props = new Properties();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            props.setProperty("srvepmd." + e.getKey(), e.getValue());
        }
        Providers providers = Providers.discover(BenchAgent.class.getClassLoader());
        Settings s = Settings.load(null, props, Map.of(), Settings.knownKeys(providers.all()));
        CoreSettings core = CoreSettings.from(s);
        return build(core, providers.create(core.resolvers(), s));
    }

    /** The same core with one given resolver (for the cache-memory measurement). */
    public static BenchAgent withResolver(String name, EpmdResolver resolver) throws Exception {
        CoreSettings core = CoreSettings.from(Settings.load(null, new Properties(), Map.of(),
                Settings.knownKeys(List.of())));
        return build(core, List.of(new NamedResolver(name, resolver)));
    }

    private static BenchAgent build(CoreSettings core, List<NamedResolver> chain) {
        LocalNodes local = new LocalNodes(core.helperPattern());
        NodeResolver resolver = new NodeResolver(chain, local,
                new CachePolicy(core.minTtl(), core.maxTtl(), core.negativeTtl(), core.staleTtl()), System::nanoTime);
        AgentCore agentCore = new AgentCore(resolver, local, new ListenPorts(core, local, System::getenv),
                new JInterfaceNodes(core.connectTimeout()), core.distLow(), core.distHigh());
        return new BenchAgent(agentCore, resolver, chain);
    }

    /** The body of the hooked {@code OtpEpmd.lookupPort(AbstractNode)}. */
    public int lookupPort(Object peer) throws IOException {
        return core.lookupPort(peer);
    }

    /** The body of the hooked {@code OtpEpmd.lookupNames(..)}. */
    public String[] lookupNames() throws IOException {
        return core.names();
    }

    public NodeResolver resolver() {
        return resolver;
    }

    @Override
    public void close() {
        for (NamedResolver r : chain) {
            r.resolver().close();
        }
    }
}
