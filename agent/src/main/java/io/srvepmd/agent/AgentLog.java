package io.srvepmd.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only voice: warnings about misconfiguration and degraded
 * operation, through {@link System.Logger} (so a host that routes JUL or the
 * platform logger elsewhere gets them there). Nothing is logged in normal
 * operation, and the logger is looked up only on the first warning so that
 * start-up pays nothing for it.
 */
final class AgentLog {

    public static final String LOGGER_NAME = "io.srvepmd.agent";

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private AgentLog() {
    }

    /** Logs {@code message} at WARNING the first time {@code onceKey} is seen in this JVM. */
    public static void warnOnce(String onceKey, String message) {
        if (WARNED.add(onceKey)) {
            System.getLogger(LOGGER_NAME).log(System.Logger.Level.WARNING, "srv-epmd: " + message);
        }
    }

    /** Forgets that {@code onceKey} was warned about, so that it may warn again after recovery. */
    public static void rearm(String onceKey) {
        WARNED.remove(onceKey);
    }
}
