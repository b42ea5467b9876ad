package io.srvepmd.agent;

import io.srvepmd.dns.DnsSrvResolverProvider;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Benchmark bridge (lives in the agent's package, in the benchmarks jar only): builds the agent's
 * resolution core through the agent's own {@link Bootstrap} — settings, provider chain,
 * {@link NodeResolver}, {@link AgentCore} — without an Instrumentation, so a benchmark can
 * call the body of the hooked {@code OtpEpmd.lookupPort} on a real JInterface {@code OtpPeer}.
 */
public final class BenchAgent implements AutoCloseable {

    private final Bootstrap boot;
    private final AgentCore core;

    private BenchAgent(Bootstrap boot) {
        this.boot = boot;
        this.core = boot.agentCore();
    }

    /** @param settings keys without the {@code srvepmd.} prefix, e.g. {@code dns.servers} */
    public static BenchAgent create(Map<String, String> settings) throws Exception {
        StringJoiner agentArgs = new StringJoiner(",");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            agentArgs.add(e.getKey() + "=" + e.getValue());
        }
        return new BenchAgent(Bootstrap.from(agentArgs.toString()));
    }

    /**
     * The same core with one given resolver (for the cache-memory measurement).
     *
     * @param agentArgs the agent's own settings as in {@code -javaagent:...=}, e.g. {@code dns.cache-size=100000}
     */
    public static BenchAgent withResolver(String name, EpmdResolver resolver, String agentArgs) throws Exception {
        Settings settings = Settings.load(agentArgs, new Properties(), Map.of(), CoreSettings.KEYS);
        return new BenchAgent(new Bootstrap(settings, CoreSettings.from(settings),
                List.of(new NamedResolver(name, resolver))));
    }

    /**
     * The agent's settings as a resolver provider reads them, parsed by the agent's own code.
     *
     * @param agentArgs as in {@code -javaagent:...=}, e.g. {@code dns.servers=127.0.0.1:53}
     */
    public static EpmdResolverProvider.Configuration settings(String agentArgs) throws Exception {
        Set<String> keys = new HashSet<>(CoreSettings.KEYS);
        keys.addAll(new DnsSrvResolverProvider().configurationKeys());
        return Settings.load(agentArgs, new Properties(), Map.of(), keys);
    }

    /** The body of the hooked {@code OtpEpmd.lookupPort(AbstractNode)}. */
    public int lookupPort(Object peer) throws IOException {
        return core.lookupPort(peer);
    }

    /** The body of the hooked {@code OtpEpmd.lookupNames(..)}. */
    public String[] lookupNames() throws IOException {
        return core.names();
    }

    /** Resolves through the agent's whole core: local nodes, cache, coalescing, the resolver chain. */
    public Resolution resolve(NodeName node) throws IOException {
        return boot.resolver.resolve(node);
    }

    /** @return how many nodes the agent's cache holds */
    public int cachedNodes() {
        return boot.resolver.cache().size();
    }

    @Override
    public void close() {
        boot.close();
    }
}
