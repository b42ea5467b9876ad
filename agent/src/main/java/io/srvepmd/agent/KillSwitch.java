package io.srvepmd.agent;

import io.srvepmd.spi.EpmdResolverProvider;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The kill switch, {@code enabled=false}: an operator turns the agent off
 * without removing {@code -javaagent} from a command line they may not own, and
 * JInterface runs exactly as stock (epmd and all). Set like every setting and
 * with the same precedence: agent argument {@code enabled}, system property
 * {@code srvepmd.enabled}, environment variable {@code SRVEPMD_ENABLED}.
 *
 * <p>Read first and on its own, before any other setting: switched off, the
 * agent reads and checks nothing else (a broken setting beside it cannot stop
 * the JVM), hooks nothing, registers no class-file transformer and starts no
 * thread. Only a value that is not {@code true} or {@code false} is an error,
 * like any other invalid setting.
 */
final class KillSwitch implements EpmdResolverProvider.Configuration {

    private final String value;
    private final String source;

    private KillSwitch(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /**
     * Decides for this JVM (agent arguments, system properties, environment) and, when switched off,
     * says so in the agent's log: one INFO line.
     *
     * @return whether the agent is switched off
     * @throws ConfigException if the setting is not a boolean, or the agent arguments cannot be parsed
     */
    static boolean switchedOff(String agentArgs) throws ConfigException {
        String off = offBy(agentArgs, System.getProperties(), System.getenv());
        if (off == null) {
            return false;
        }
        AgentLog.info("switched off by " + off + ": the agent changes nothing, JInterface runs as it would without"
                + " it (epmd)");
        return true;
    }

    /**
     * @return what switched the agent off ({@code system property srvepmd.enabled=false}), or null
     *         when it is on (the setting is absent or {@code true})
     */
    static String offBy(String agentArgs, Properties properties, Map<String, String> env) throws ConfigException {
        KillSwitch s = strongest(agentArgs, properties, env);
        if (s == null) {
            return null;
        }
        try {
            return s.getBoolean(CoreSettings.ENABLED, true) ? null : s.source + "=" + s.value.trim();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static KillSwitch strongest(String agentArgs, Properties properties, Map<String, String> env)
            throws ConfigException {
        String arg = AgentArguments.parse(agentArgs).get(CoreSettings.ENABLED);
        if (arg != null) {
            return new KillSwitch(arg, "agent argument " + CoreSettings.ENABLED);
        }
        String property = Settings.PROPERTY_PREFIX + CoreSettings.ENABLED;
        if (properties.getProperty(property) != null) {
            return new KillSwitch(properties.getProperty(property), "system property " + property);
        }
        String variable = Settings.envName(CoreSettings.ENABLED);
        if (env.get(variable) != null) {
            return new KillSwitch(env.get(variable), "environment variable " + variable);
        }
        return null;
    }

    @Override
    public Optional<String> get(String key) {
        return CoreSettings.ENABLED.equals(key) ? Optional.of(value) : Optional.empty();
    }

    @Override
    public String describe(String key) {
        return source;
    }
}
