package io.srvepmd.agent;

import java.util.LinkedHashMap;
import java.util.Map;

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
            if (startsWithKey(token)) {
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

    /**
     * Whether {@code token} is {@code key=...}, a key being lower-case words of
     * letters and digits joined by single '.' or '-' (node names, with '@',
     * never are). Checked by hand (start-up discipline, it-tests' StartupDisciplineTest).
     */
    static boolean startsWithKey(String token) {
        int eq = token.indexOf('=');
        if (eq <= 0 || token.charAt(0) < 'a' || token.charAt(0) > 'z') {
            return false;
        }
        boolean afterSeparator = false;
        for (int i = 1; i < eq; i++) {
            char c = token.charAt(i);
            boolean word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!word && (c != '.' && c != '-' || afterSeparator)) {
                return false;
            }
            afterSeparator = !word;
        }
        return !afterSeparator;
    }

    private static void put(Map<String, String> pairs, String key, StringBuilder value) throws ConfigException {
        if (key != null && pairs.put(key, value.toString()) != null) {
            throw new ConfigException("agent argument '" + key + "' is given twice; give it once");
        }
    }
}
