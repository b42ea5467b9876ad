package io.srvepmd.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent loaded into a running JVM ({@code agentmain}, through
 * {@code java -jar srv-epmd-agent.jar attach PID}), and the system properties
 * through which it tells the attacher what happened.
 *
 * <p>The JDK hands an exception out of {@code agentmain} to the attacher only
 * as "agent failed to initialize", and prints it into the host's stderr. So
 * nothing escapes: the outcome goes into the host's system properties, which
 * the attacher reads right after {@code loadAgent} returns (it returns once
 * {@code agentmain} has). Their names are outside the {@code srvepmd.} prefix
 * the settings read.
 *
 * <p>Order matters for JInterface classes loaded before the attach: they are
 * retransformed while the class-file transformer is installed (a
 * retransformation without it would restore the original bytes), and only then
 * may the transformer be removed.
 */
final class AgentAttach {

    /** How the agent was loaded in this JVM: {@value #AT_START} or {@value #ATTACHED}; absent if it was not. */
    static final String LOADED = "io.srvepmd.agent";
    static final String AT_START = "-javaagent";
    static final String ATTACHED = "attach";
    /** Why the last attach failed; absent if it did not. */
    static final String ERROR = "io.srvepmd.agent.attach.error";
    /** What the last successful attach did: {@code key=value} lines (see {@link #report}). */
    static final String REPORT = "io.srvepmd.agent.attach.report";

    private AgentAttach() {
    }

    /** The body of {@code agentmain}: never throws, never ends the host. */
    static synchronized void load(String args, Instrumentation inst) {
        System.clearProperty(ERROR);
        System.clearProperty(REPORT);
        String loaded = System.getProperty(LOADED);
        if (loaded != null) {
            System.setProperty(ERROR, "already loaded: the agent runs in this JVM since "
                    + (AT_START.equals(loaded) ? "its start (-javaagent)" : "an earlier attach"));
            return;
        }
        Bootstrap boot;
        try {
            String off = KillSwitch.offBy(args, System.getProperties(), System.getenv());
            if (off != null) {
                System.setProperty(ERROR, "switched off by " + off);
                return;
            }
            boot = Bootstrap.from(args);
        } catch (ConfigException e) {
            System.setProperty(ERROR, "configuration error: " + e.getMessage());
            return;
        } catch (Throwable e) {
            System.setProperty(ERROR, "cannot start: " + e);
            return;
        }
        // From here on the JVM changes: a second load must be refused even if this one fails half-way.
        System.setProperty(LOADED, ATTACHED);
        try {
            System.setProperty(REPORT, hook(boot, inst));
        } catch (ConfigException e) {
            System.setProperty(ERROR, "configuration error: " + e.getMessage());
        } catch (Throwable e) {
            System.setProperty(ERROR, "cannot hook JInterface: " + e);
        }
    }

    private static String hook(Bootstrap boot, Instrumentation inst) throws Exception {
        List<Class<?>> before = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (JInterfaceTransformer.TARGETS.contains(c.getName())) {
                before.add(c);
            }
        }
        Hooks.install(boot.agentCore());
        JInterfaceTransformer transformer = new JInterfaceTransformer();
        inst.addTransformer(transformer, true);
        try {
            if (!before.isEmpty()) {
                inst.retransformClasses(before.toArray(new Class<?>[0]));
            }
        } catch (Throwable e) {
            inst.removeTransformer(transformer);
            throw e;
        }
        JInterfaceTransformer.Found found = transformer.hookNow(ClassLoader.getSystemClassLoader());
        if (transformer.refusal() != null) {
            throw new ConfigException(transformer.refusal());
        }
        if (found == JInterfaceTransformer.Found.HOOKED && !boot.core.everyLoader()) {
            // Spares every later class load the JVM's class-file-load hook; a JInterface copy
            // that another class loader loads from now on stays stock (jinterface.every-loader).
            inst.removeTransformer(transformer);
        }
        Background.start(boot);
        Runtime.getRuntime().addShutdownHook(new Thread("srv-epmd-shutdown") {
            @Override
            public void run() {
                boot.close();
            }
        });
        return report(boot, before, found);
    }

    /**
     * {@code key=value} lines for the attacher: {@code retransformed} (the JInterface classes loaded
     * before, in any class loader), {@code watching} (JInterface not on the system class path yet:
     * hooked when it loads), {@code port} and {@code port.source} (what nodes created from now on
     * listen on), {@code resolvers}, and one {@code setting} line per explicit setting.
     */
    static String report(Bootstrap boot, List<Class<?>> before, JInterfaceTransformer.Found found) {
        StringBuilder r = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (Class<?> c : before) {
            names.add(c.getName() + (c.getClassLoader() == ClassLoader.getSystemClassLoader() ? ""
                    : " (class loader " + c.getClassLoader() + ")"));
        }
        names.sort(null);
        r.append("retransformed=").append(String.join(", ", names)).append('\n');
        r.append("watching=").append(found == JInterfaceTransformer.Found.NOT_YET).append('\n');
        if (boot.core.distPort().isPresent()) {
            r.append("port=").append(boot.core.distPort().getAsInt()).append('\n');
            r.append("port.source=").append(boot.settings.describe(CoreSettings.DIST_PORT)).append('\n');
        } else {
            String env = System.getenv(ListenPorts.ERL_DIST_PORT);
            r.append("port=").append(env == null ? "" : env).append('\n');
            r.append("port.source=").append(env == null ? "unset" : "environment variable "
                    + ListenPorts.ERL_DIST_PORT).append('\n');
        }
        r.append("port.required=").append(boot.core.distPortRequired()).append('\n');
        r.append("resolvers=").append(boot.chain.names()).append('\n');
        for (String s : boot.settings.explicitSettings()) {
            r.append("setting=").append(s).append('\n');
        }
        return r.toString();
    }
}
