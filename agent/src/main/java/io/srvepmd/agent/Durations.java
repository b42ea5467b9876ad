package io.srvepmd.agent;

import java.time.Duration;

/** Parses durations written as {@code 250ms}, {@code 2s}, {@code 5m} or {@code 1h}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String value, String what) throws ConfigException {
        String v = value.trim();
        int digits = 0;
        while (digits < v.length() && Character.isDigit(v.charAt(digits)) && v.charAt(digits) < 128) {
            digits++;
        }
        if (digits == 0 || digits > 9) {
            throw notADuration(value, what);
        }
        long n = Long.parseLong(v.substring(0, digits));
        switch (v.substring(digits)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                throw notADuration(value, what);
        }
    }

    private static ConfigException notADuration(String value, String what) {
        return new ConfigException(what + "='" + value + "' is not a duration; write e.g. 500ms, 2s, 5m or 1h");
    }
}
