package io.srvepmd.agent;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;

/**
 * The agent's entry: {@code -javaagent:srv-epmd-agent.jar[=key=value,...]}
 * (premain) or a dynamic attach (agentmain). Reads the configuration once,
 * creates the resolvers, and hooks JInterface: right away when JInterface is on
 * the system class path (then the class-file transformer is removed, so later
 * class loads pay nothing), else when it loads. Resolvers open no sockets here.
 *
 * <p>Nothing may escape {@code premain}: the JVM answers an exception there
 * with "FATAL ERROR in native method" and a core dump. Every start-up failure,
 * a provider's bug included, ends the JVM with one line on stderr and exit
 * status 78 instead, before the program runs unconfigured.
 */
public final class Agent {

    /** Exit status when the JVM refuses to start for a configuration error (sysexits' EX_CONFIG). */
    static final int EXIT_CONFIG = 78;

    private Agent() {
    }

    /**
     * Called by the JVM for {@code -javaagent}.
     *
     * @param args the agent arguments, {@code key=value} pairs separated by commas
     * @param inst the JVM's instrumentation
     */
    public static void premain(String args, Instrumentation inst) {
        try {
            if (KillSwitch.switchedOff(args)) {
                return; // JInterface stays stock: nothing hooked, no transformer, no thread
            }
            start(args, inst);
            System.setProperty(AgentAttach.LOADED, AgentAttach.AT_START); // for attach and status
        } catch (ConfigException e) {
            stop("configuration error: " + e.getMessage());
        } catch (Throwable e) {
            stop("cannot start: " + e);
        }
    }

    /**
     * Called by the JVM for a dynamic attach ({@code java -jar srv-epmd-agent.jar attach PID}).
     * Never throws and never ends the host: the outcome goes to system properties the attacher
     * reads (see {@link AgentAttach}).
     *
     * @param args the agent arguments, {@code key=value} pairs separated by commas
     * @param inst the JVM's instrumentation
     */
    public static void agentmain(String args, Instrumentation inst) {
        AgentAttach.load(args, inst);
    }

    private static void stop(String message) {
        System.err.println("srv-epmd: " + oneLine(message));
        System.exit(EXIT_CONFIG);
    }

    /**
     * The message with line breaks and other control characters written as a
     * backslash, {@code u} and four hex digits: a setting's value may hold a
     * line break (a Kubernetes block scalar, say), and the refusal is one line.
     */
    static String oneLine(String message) {
        StringBuilder b = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void start(String args, Instrumentation inst) throws ConfigException, UnmodifiableClassException {
        Bootstrap boot = Bootstrap.from(args);
        Hooks.install(boot.agentCore());
        JInterfaceTransformer transformer = new JInterfaceTransformer();
        inst.addTransformer(transformer, true);
        JInterfaceTransformer.Found found = transformer.hookNow(ClassLoader.getSystemClassLoader());
        if (!transformer.unseen().isEmpty()) { // loaded before premain (from an AOT cache): rewrite them now
            inst.retransformClasses(transformer.unseen().toArray(new Class<?>[0]));
            found = transformer.hookNow(ClassLoader.getSystemClassLoader());
        }
        if (found == JInterfaceTransformer.Found.REFUSED) {
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
    }
}
