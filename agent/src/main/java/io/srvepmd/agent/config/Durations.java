package io.srvepmd.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as {@code 250ms}, {@code 2s}, {@code 5m} or {@code 1h}. */
final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    static Duration parse(String value, String what) throws ConfigException {
        Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw new ConfigException(what + "='" + value + "' is not a duration; write e.g. 500ms, 2s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            default:
                return Duration.ofHours(n);
        }
    }
}
