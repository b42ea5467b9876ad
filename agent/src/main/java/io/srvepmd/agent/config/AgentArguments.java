package io.srvepmd.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the string after {@code -javaagent:srv-epmd-agent.jar=}.
 *
 * <p>Pairs are {@code key=value} separated by commas. Because list values
 * ({@code resolvers}, {@code dns.servers}) are comma-separated too, a comma
 * starts a new pair only when what follows looks like {@code key=}; otherwise
 * it continues the previous value:
 * {@code dns.servers=127.0.0.1:8600,127.0.0.1:8601,dns.timeout=1s}.
 */
final class AgentArguments {

    /** A key: lower-case words joined by '.' or '-'. Node names (with '@') never match. */
    private static final Pattern KEY_START = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*=.*", Pattern.DOTALL);

    private AgentArguments() {
    }

    static Map<String, String> parse(String args) throws ConfigException {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (args == null || args.isBlank()) {
            return pairs;
        }
        String key = null;
        StringBuilder value = new StringBuilder();
        for (String token : args.split(",", -1)) {
            if (KEY_START.matcher(token).matches()) {
                put(pairs, key, value);
                int eq = token.indexOf('=');
                key = token.substring(0, eq);
                value.setLength(0);
                value.append(token, eq + 1, token.length());
            } else if (key == null) {
                throw new ConfigException("agent argument '" + token + "' is not key=value; pass e.g."
                        + " -javaagent:srv-epmd-agent.jar=dns.servers=127.0.0.1:8600,dns.timeout=1s");
            } else {
                value.append(',').append(token);
            }
        }
        put(pairs, key, value);
        return pairs;
    }

    private static void put(Map<String, String> pairs, String key, StringBuilder value) throws ConfigException {
        if (key != null && pairs.put(key, value.toString()) != null) {
            throw new ConfigException("agent argument '" + key + "' is given twice; give it once");
        }
    }
}
