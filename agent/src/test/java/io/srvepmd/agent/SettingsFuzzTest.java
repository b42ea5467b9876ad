package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.dns.DnsSrvResolverProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's settings as a user writes them: the {@code -javaagent} argument
 * string, and values of every key the agent and {@code dns-srv} read.
 *
 * <ul>
 * <li>{@link #agentArguments}: the input (UTF-8) is the string after
 *     {@code srv-epmd-agent.jar=}. Property: the pairs found, written back as
 *     {@code key=value} joined by commas, are the input again; every key has
 *     the key form (lower-case words joined by single '.' or '-'); no value
 *     swallows a following {@code ,key=}; an error is one of the two
 *     documented ones and quotes the token or key at fault.</li>
 * <li>{@link #coreSettings}: each input line {@code key=value} becomes the system
 *     property {@code srvepmd.key}. Property: an unknown key is refused naming
 *     it and its value; otherwise {@link CoreSettings} and the {@code dns-srv}
 *     settings (through {@link Settings#hostResolver}) either refuse, naming
 *     the source of a key that is set (or whose default clashes with one that
 *     is) and its value, or hold values within the documented bounds,
 *     {@code dns.timeout} read alike by the agent and by {@code dns-srv}.</li>
 * </ul>
 *
 * <p>Regression inputs: {@code src/test/resources/io/srvepmd/agent/SettingsFuzzTestInputs/}.
 * Fuzz with {@code bash scripts/fuzz.sh SettingsFuzzTest 5m}.
 */
class SettingsFuzzTest {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*");
    private static final Set<String> KEYS = keys();

    private static Set<String> keys() {
        Set<String> keys = new TreeSet<>(CoreSettings.KEYS);
        keys.addAll(new DnsSrvResolverProvider().configurationKeys());
        return keys;
    }

    @FuzzTest
    @Timeout(10) // a hang, not a speed check: one input takes microseconds
    void agentArguments(byte[] input) {
        String args = new String(input, StandardCharsets.UTF_8);
        Map<String, String> pairs;
        try {
            pairs = AgentArguments.parse(args);
        } catch (ConfigException e) {
            String first = args.split(",", -1)[0];
            boolean notKeyValue = e.getMessage().equals("agent argument '" + first + "' is not key=value; pass e.g."
                    + " -javaagent:srv-epmd-agent.jar=dns.servers=127.0.0.1:8600,dns.timeout=1s") && !keyShaped(first);
            boolean twice = e.getMessage().matches("agent argument '[a-z0-9.-]+' is given twice; give it once")
                    && args.startsWith(e.getMessage().split("'")[1] + "=")
                    || args.contains("," + e.getMessage().split("'")[1] + "=");
            assertTrue(notKeyValue || twice, "unexpected error: " + e.getMessage());
            return;
        }
        if (args.isBlank()) {
            assertTrue(pairs.isEmpty());
            return;
        }
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> p : pairs.entrySet()) {
            assertTrue(KEY.matcher(p.getKey()).matches(), "not a key: " + p.getKey());
            written.add(p.getKey() + "=" + p.getValue());
            String[] continued = p.getValue().split(",", -1);
            for (int i = 1; i < continued.length; i++) {
                assertFalse(keyShaped(continued[i]), "the value of " + p.getKey() + " swallowed " + continued[i]);
            }
        }
        assertEquals(args, String.join(",", written));
    }

    private static boolean keyShaped(String token) {
        int eq = token.indexOf('=');
        return eq > 0 && KEY.matcher(token.substring(0, eq)).matches();
    }

    @FuzzTest
    @Timeout(10)
    void coreSettings(byte[] input) {
        Map<String, String> set = new LinkedHashMap<>();
        Properties properties = new Properties();
        for (String line : new String(input, StandardCharsets.UTF_8).split("\n", -1)) {
            int eq = line.indexOf('=');
            if (eq >= 0) {
                set.put(line.substring(0, eq), line.substring(eq + 1));
                properties.setProperty(Settings.PROPERTY_PREFIX + line.substring(0, eq), line.substring(eq + 1));
            }
        }
        Settings settings;
        try {
            settings = Settings.load(null, properties, Map.of(), KEYS);
        } catch (ConfigException e) {
            assertTrue(set.entrySet().stream().anyMatch(s -> !KEYS.contains(s.getKey()) && e.getMessage().startsWith(
                    "unknown setting system property srvepmd." + s.getKey() + "='" + s.getValue() + "'; known keys: ")),
                    e.getMessage());
            return;
        }
        assertTrue(KEYS.containsAll(set.keySet()));
        CoreSettings core;
        try {
            core = CoreSettings.from(settings);
        } catch (ConfigException e) {
            assertNamesASetKey(e.getMessage(), settings, set);
            return;
        }
        assertWithinBounds(core, set);
        try {
            String dns = settings.hostResolver().toString();
            assertTrue(dns.contains(", timeout " + core.timeout().toMillis() + " ms, "),
                    "dns-srv reads dns.timeout otherwise than the agent: " + dns + " against " + core.timeout());
        } catch (IllegalArgumentException e) {
            assertNamesASetKey(e.getMessage(), settings, set);
        } finally {
            settings.close();
        }
    }

    /** The message names the source of a key that is set, and quotes its value unless that is blank. */
    private static void assertNamesASetKey(String message, Settings settings, Map<String, String> set) {
        assertTrue(set.entrySet().stream().anyMatch(s -> message.contains(settings.describe(s.getKey()))
                && (s.getValue().isBlank() || message.contains(s.getValue()))), "names no setting: " + message);
    }

    private static void assertWithinBounds(CoreSettings core, Map<String, String> set) {
        List<String> resolvers = new ArrayList<>();
        for (String item : set.getOrDefault("resolvers", "dns-srv").split(",", -1)) {
            resolvers.add(item.trim());
        }
        assertEquals(resolvers, core.resolvers());
        if (set.containsKey("dist.port")) {
            assertEquals(Integer.parseInt(set.get("dist.port").trim()), core.distPort().getAsInt());
        } else {
            assertTrue(core.distPort().isEmpty());
        }
        Duration hour = Duration.ofHours(1);
        Duration day = Duration.ofDays(1);
        assertBetween(Duration.ofMillis(1), core.connectTimeout(), hour);
        assertBetween(Duration.ofMillis(1), core.connectTotalTimeout(), hour);
        assertBetween(Duration.ofMillis(1), core.timeout(), hour);
        CachePolicy p = core.cachePolicy();
        assertBetween(Duration.ZERO, p.minTtl(), p.maxTtl());
        assertBetween(p.minTtl(), p.maxTtl(), day);
        assertTrue(p.negativeNanos >= 0 && p.negativeNanos <= hour.toNanos());
        assertTrue(p.staleNanos >= 0 && p.staleNanos <= day.toNanos());
        assertTrue(p.capacity >= 1 && p.capacity <= 1_000_000);
        assertTrue(core.connectMaxAttempts() >= 1 && core.connectMaxAttempts() <= 1000);
        assertEquals(set.getOrDefault("dist.helper-pattern", HelperNames.DEFAULT), core.helperPattern().toString());
    }

    private static void assertBetween(Duration min, Duration d, Duration max) {
        assertTrue(d.compareTo(min) >= 0 && d.compareTo(max) <= 0, d + " not within " + min + ".." + max);
    }
}
