package io.srvepmd.it.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts {@code ResolveMain} (see io.srvepmd.it.app) with the agent and reads
 * its step results: {@code CONNECT PEER ok|failed MS [error]}.
 */
public final class Steps {

    private static final Pattern CONNECT = Pattern.compile("CONNECT (\\S+) (ok|failed) (\\d+)(?: (.*))?");

    private Steps() {
    }

    /** {@code ResolveMain COOKIE steps...} on JInterface 1.13.1 with agent arguments {@code agentArgs}. */
    public static JavaApp.Builder resolveMain(String agentArgs, String... steps) {
        return resolveMain(JavaApp.JInterface.V1_13_1, agentArgs, steps);
    }

    /** {@code ResolveMain COOKIE steps...} on JInterface {@code jinterface} with agent arguments {@code agentArgs}. */
    public static JavaApp.Builder resolveMain(JavaApp.JInterface jinterface, String agentArgs, String... steps) {
        String[] args = new String[steps.length + 1];
        args[0] = ItBase.COOKIE;
        System.arraycopy(steps, 0, args, 1, steps.length);
        return JavaApp.builder("ResolveMain").jinterface(jinterface).agentArgs(agentArgs).args(args);
    }

    /** One {@code connect} step's result. */
    public static final class Connect {
        public final String peer;
        public final boolean ok;
        public final long millis;
        /** "class: message" of the failure, or null. */
        public final String error;

        Connect(Matcher m) {
            peer = m.group(1);
            ok = m.group(2).equals("ok");
            millis = Long.parseLong(m.group(3));
            error = m.group(4);
        }

        @Override
        public String toString() {
            return "CONNECT " + peer + (ok ? " ok " : " failed ") + millis + (error == null ? "" : " " + error);
        }
    }

    /**
     * The {@code JMX io.srvepmd:type=Agent Lookups=3} lines (ResolveMain's {@code jmx} step) among
     * {@code lines}, as a map {@code "type=Agent Lookups" -> "3"}; a later line wins.
     */
    public static Map<String, String> jmx(List<String> lines) {
        Map<String, String> values = new TreeMap<>();
        for (String line : lines) {
            if (line.startsWith("JMX io.srvepmd:")) {
                String rest = line.substring("JMX io.srvepmd:".length());
                int eq = rest.indexOf('=', rest.indexOf(' '));
                values.put(rest.substring(0, eq), rest.substring(eq + 1));
            }
        }
        return values;
    }

    /**
     * Waits for the {@code index}-th (0-based) {@code CONNECT} line of {@code app}.
     */
    public static Connect awaitConnect(JavaApp app, int index, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean alive = app.process().isAlive();
            int seen = 0;
            for (String line : app.stdoutLines()) {
                Matcher m = CONNECT.matcher(line);
                if (m.matches() && seen++ == index) {
                    return new Connect(m);
                }
            }
            if (!alive || System.nanoTime() > deadline) {
                throw new AssertionError("no CONNECT line #" + index + " within " + timeout + ": " + app.describe());
            }
            ChildProcess.sleep(20);
        }
    }
}
