package io.srvepmd.agent;

import io.srvepmd.agent.config.ConfigException;
import io.srvepmd.agent.config.CoreSettings;
import io.srvepmd.agent.config.Settings;
import io.srvepmd.agent.jinterface.JInterfaceNodes;
import io.srvepmd.agent.jinterface.JInterfaceTransformer;
import io.srvepmd.agent.resolve.CachePolicy;
import io.srvepmd.agent.resolve.ListenPorts;
import io.srvepmd.agent.resolve.LocalNodes;
import io.srvepmd.agent.resolve.NamedResolver;
import io.srvepmd.agent.resolve.NodeResolver;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The agent's entry: {@code -javaagent:srv-epmd-agent.jar[=key=value,...]}
 * (premain) or a dynamic attach (agentmain). Reads the configuration once,
 * creates the resolvers, and installs the transformer that hooks JInterface.
 * Nothing heavy happens here: resolvers open no sockets and the rewriting
 * library loads only when JInterface does.
 */
public final class Agent {

    /** Exit status when the JVM refuses to start for a configuration error (sysexits' EX_CONFIG). */
    static final int EXIT_CONFIG = 78;

    private Agent() {
    }

    public static void premain(String args, Instrumentation inst) {
        try {
            start(args, inst);
        } catch (ConfigException e) {
            // A misconfigured agent must not let the program run as if it were configured.
            System.err.println("srv-epmd: configuration error: " + e.getMessage());
            System.exit(EXIT_CONFIG);
        }
    }

    public static void agentmain(String args, Instrumentation inst) throws ConfigException, UnmodifiableClassException {
        // Attached to a running JVM: report to the attacher, never end the host.
        start(args, inst);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (JInterfaceTransformer.TARGETS.contains(c.getName())) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }

    private static void start(String args, Instrumentation inst) throws ConfigException {
        Providers providers = Providers.discover(ClassLoader.getSystemClassLoader());
        Settings settings = Settings.load(args, System.getProperties(), System.getenv(),
                Settings.knownKeys(providers.all()));
        CoreSettings core = CoreSettings.from(settings);
        List<NamedResolver> chain = providers.create(core.resolvers(), settings);
        LocalNodes localNodes = new LocalNodes(core.helperPattern());
        NodeResolver resolver = new NodeResolver(chain, localNodes,
                new CachePolicy(core.minTtl(), core.maxTtl(), core.negativeTtl(), core.staleTtl()), new SystemClock());
        Hooks.install(new AgentCore(resolver, localNodes, new ListenPorts(core, localNodes, new Environment()),
                new JInterfaceNodes(core.connectTimeout()), core.distLow(), core.distHigh()));
        JInterfaceTransformer transformer = new JInterfaceTransformer();
        inst.addTransformer(transformer, true);
        if (transformer.hookNow(ClassLoader.getSystemClassLoader())) {
            inst.removeTransformer(transformer);
        }
        Runtime.getRuntime().addShutdownHook(new Thread("srv-epmd-shutdown") {
            @Override
            public void run() {
                close(chain);
            }
        });
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

    private static void close(List<NamedResolver> chain) {
        for (NamedResolver r : chain) {
            try {
                r.resolver().close();
            } catch (RuntimeException e) {
                // shutting down: nothing useful to do with it
            }
        }
    }
}
