package io.srvepmd.agent;

/**
 * The agent's only voice: warnings about misconfiguration and degraded
 * operation, through {@link System.Logger} (so a host that routes JUL or the
 * platform logger elsewhere gets them there). Nothing is logged in normal
 * operation, and the logger is looked up only on the first warning so that
 * start-up pays nothing for it.
 */
final class AgentLog {

    static final String LOGGER_NAME = "io.srvepmd.agent";

    private AgentLog() {
    }

    /** Logs {@code message} at WARNING. */
    static void warn(String message) {
        System.getLogger(LOGGER_NAME).log(System.Logger.Level.WARNING, "srv-epmd: " + message);
    }
}
