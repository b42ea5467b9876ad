package io.srvepmd.agent;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's entry: {@code -javaagent:srv-epmd-agent.jar[=key=value,...]}
 * (premain) or a dynamic attach (agentmain). Reads the configuration once,
 * creates the resolvers, and hooks JInterface: right away when JInterface is on
 * the system class path (then the class-file transformer is removed, so later
 * class loads pay nothing), else when it loads. Resolvers open no sockets here.
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
        Bootstrap boot = Bootstrap.from(args);
        Hooks.install(boot.agentCore());
        JInterfaceTransformer transformer = new JInterfaceTransformer();
        inst.addTransformer(transformer, true);
        if (transformer.hookNow(ClassLoader.getSystemClassLoader())) {
            inst.removeTransformer(transformer);
        }
        Runtime.getRuntime().addShutdownHook(new Thread("srv-epmd-shutdown") {
            @Override
            public void run() {
                boot.close();
            }
        });
    }
}
