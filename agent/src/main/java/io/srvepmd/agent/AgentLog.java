package io.srvepmd.agent;

/**
 * The agent's only voice, through {@link System.Logger} {@value #LOGGER_NAME}
 * (so a host that routes java.util.logging or the platform logger elsewhere
 * gets it there): warnings about misconfiguration and degraded operation,
 * and, at DEBUG, one line per lookup and per failed connect attempt. Nothing
 * is logged in normal operation.
 *
 * <p>Finding the logger costs ~20 ms on a cold JVM (the logging framework
 * starts), so the agent's background thread looks it up after start-up;
 * whoever needs it first pays, if that comes sooner.
 */
final class AgentLog {

    static final String LOGGER_NAME = "io.srvepmd.agent";

    private static volatile System.Logger logger;

    private AgentLog() {
    }

    static System.Logger logger() {
        System.Logger l = logger;
        if (l == null) {
            l = System.getLogger(LOGGER_NAME);
            logger = l;
        }
        return l;
    }

    /** Logs {@code message} at INFO: what an operator asked for, done. */
    static void info(String message) {
        logger().log(System.Logger.Level.INFO, "srv-epmd: " + message);
    }

    /** Logs {@code message} at WARNING. */
    static void warn(String message) {
        logger().log(System.Logger.Level.WARNING, "srv-epmd: " + message);
    }

    /** @return whether DEBUG lines would be written now (an operator may turn it on while the JVM runs) */
    static boolean debugging() {
        return logger().isLoggable(System.Logger.Level.DEBUG);
    }

    /** Logs {@code message} at DEBUG; check {@link #debugging()} before building it. */
    static void debug(String message) {
        logger().log(System.Logger.Level.DEBUG, "srv-epmd: " + message);
    }
}
