package io.srvepmd.agent;

import io.srvepmd.spi.EpmdResolver;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

    /** The same core with one given resolver (for the cache-memory measurement). */
    public static BenchAgent withResolver(String name, EpmdResolver resolver) throws Exception {
        Settings settings = Settings.load(null, new Properties(), Map.of(), Settings.knownKeys(List.of()));
        return new BenchAgent(new Bootstrap(settings, CoreSettings.from(settings),
                List.of(new NamedResolver(name, resolver))));
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
        return boot.resolver;
    }

    @Override
    public void close() {
        boot.close();
    }
}
