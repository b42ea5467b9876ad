package io.srvepmd.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * Setting values come from agent arguments, system properties and the
 * environment, and every resolver reads them through the typed getters of
 * {@link EpmdResolverProvider.Configuration}. The input's first byte picks a
 * getter, the rest (UTF-8) is the value.
 *
 * <p>Properties, per getter: a value is accepted exactly when the documented
 * grammar allows it (a model written apart from {@link SettingValues}: whole
 * numbers of ASCII digits, durations as a number and a lower-case unit,
 * {@code true}/{@code false}, comma lists without empty items); what is
 * accepted reads back equal when written out again (a duration through
 * {@link SettingValues#format}, an address list as IP literals with ports);
 * what is rejected fails with {@link IllegalArgumentException} only, its
 * message naming the setting's source and the value as given.
 *
 * <p>Regression inputs: {@code src/test/resources/io/srvepmd/spi/SettingValuesFuzzTestInputs/}.
 * Fuzz it with {@code bash scripts/fuzz.sh SettingValuesFuzzTest 5m}.
 */
class SettingValuesFuzzTest {

    private static final String KEY = "k";
    private static final String SOURCE = "system property srvepmd.k";
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");

    @FuzzTest
    @Timeout(10) // a hang, not a speed check: one input takes microseconds
    void settingValues(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String value = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        EpmdResolverProvider.Configuration c = config(value);
        switch ((input[0] & 0xff) % 6) {
            case 0:
                duration(c, value, Duration.ZERO, SettingValues.DEFAULT_MAX_DURATION);
                break;
            case 1:
                duration(c, value, Duration.ofMillis(1), Duration.ofHours(1));
                break;
            case 2:
                integer(value, c, 1, 1000);
                break;
            case 3:
                bool(c, value);
                break;
            case 4:
                list(c, value);
                break;
            default:
                addresses(c, value);
                break;
        }
    }

    private static void duration(EpmdResolverProvider.Configuration c, String value, Duration min, Duration max) {
        Matcher m = DURATION.matcher(value.trim());
        Duration expected = m.matches() ? unit(m.group(2)).multipliedBy(Long.parseLong(m.group(1))) : null;
        boolean valid = expected != null && expected.compareTo(min) >= 0 && expected.compareTo(max) <= 0;
        Duration d;
        try {
            d = c.getDuration(KEY, null, min, max);
        } catch (IllegalArgumentException e) {
            assertFalse(valid, "rejected a valid duration: " + e.getMessage());
            assertNamesValue(e, value);
            return;
        }
        assertTrue(valid, "accepted '" + value + "' as " + d);
        assertEquals(expected, d);
        assertEquals(d, config(SettingValues.format(d)).getDuration(KEY, null, min, max), "format round trip");
    }

    private static Duration unit(String unit) {
        switch (unit) {
            case "ms":
                return Duration.ofMillis(1);
            case "s":
                return Duration.ofSeconds(1);
            case "m":
                return Duration.ofMinutes(1);
            default:
                return Duration.ofHours(1);
        }
    }

    private static void integer(String value, EpmdResolverProvider.Configuration c, int min, int max) {
        String v = value.trim();
        BigInteger number = WHOLE_NUMBER.matcher(v).matches() ? new BigInteger(v) : null;
        boolean valid = number != null && number.compareTo(BigInteger.valueOf(min)) >= 0
                && number.compareTo(BigInteger.valueOf(max)) <= 0;
        boolean validPort = number != null && number.signum() > 0 && number.compareTo(BigInteger.valueOf(65535)) <= 0;
        try {
            int n = c.getInt(KEY, -1, min, max);
            assertTrue(valid, "accepted '" + value + "' as " + n);
            assertEquals(number.intValueExact(), n);
        } catch (IllegalArgumentException e) {
            assertFalse(valid, "rejected a valid number: " + e.getMessage());
            assertNamesValue(e, value);
        }
        try {
            int port = c.getPort(KEY).getAsInt();
            assertTrue(validPort, "accepted '" + value + "' as port " + port);
            assertEquals(number.intValueExact(), port);
        } catch (IllegalArgumentException e) {
            assertFalse(validPort, "rejected a valid port: " + e.getMessage());
            assertNamesValue(e, value);
        }
    }

    private static void bool(EpmdResolverProvider.Configuration c, String value) {
        String v = value.trim();
        try {
            boolean b = c.getBoolean(KEY, false);
            assertTrue(v.equals("true") || v.equals("false"), "accepted '" + value + "' as " + b);
            assertEquals(v.equals("true"), b);
        } catch (IllegalArgumentException e) {
            assertFalse(v.equals("true") || v.equals("false"), e.getMessage());
            assertNamesValue(e, value);
        }
    }

    private static void list(EpmdResolverProvider.Configuration c, String value) {
        List<String> expected = new ArrayList<>();
        boolean valid = true;
        if (!value.isBlank()) {
            for (String item : value.split(",", -1)) {
                expected.add(item.trim());
                valid &= !item.trim().isEmpty();
            }
        }
        List<String> items;
        try {
            items = c.getList(KEY, null);
        } catch (IllegalArgumentException e) {
            assertFalse(valid, "rejected a valid list: " + e.getMessage());
            assertNamesValue(e, value);
            return;
        }
        assertTrue(valid, "accepted '" + value + "' as " + items);
        assertEquals(expected, items);
        assertEquals(items, config(String.join(",", items)).getList(KEY, null), "join round trip");
    }

    private static void addresses(EpmdResolverProvider.Configuration c, String value) {
        List<InetSocketAddress> found;
        try {
            found = c.getAddresses(KEY, 53);
        } catch (IllegalArgumentException e) {
            assertNamesValue(e, value);
            return;
        }
        assertTrue(found.size() <= SettingValues.list(value).size(), "more addresses than entries: " + found);
        assertEquals(found.size(), new HashSet<>(found).size(), "duplicates: " + found);
        List<String> written = new ArrayList<>();
        for (InetSocketAddress a : found) {
            assertTrue(a.getPort() >= 1 && a.getPort() <= 65535, a.toString());
            String literal = a.getAddress().getHostAddress();
            written.add(a.getAddress() instanceof Inet6Address ? "[" + literal + "]:" + a.getPort()
                    : literal + ":" + a.getPort());
        }
        assertEquals(found, config(String.join(",", written)).getAddresses(KEY, 53), "literal round trip");
    }

    /** The getters' one message style: {@code <source>='<value>' <what is wrong>}. */
    private static void assertNamesValue(IllegalArgumentException e, String value) {
        assertTrue(e.getMessage().startsWith(SOURCE + "='" + value + "' "), e.getMessage());
    }

    private static EpmdResolverProvider.Configuration config(String value) {
        return new EpmdResolverProvider.Configuration() {
            @Override
            public Optional<String> get(String key) {
                return Optional.of(value);
            }

            @Override
            public String describe(String key) {
                return SOURCE;
            }
        };
    }
}
