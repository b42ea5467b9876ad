package io.srvepmd.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The typed getters: one grammar, one message style, for the agent and every plugin. */
class ConfigurationGettersTest {

    /** A configuration as a plugin's own test would write it: only get and describe. */
    private static EpmdResolverProvider.Configuration config(Map<String, String> values) {
        return new EpmdResolverProvider.Configuration() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(values.get(key));
            }

            @Override
            public String describe(String key) {
                return values.containsKey(key) ? "system property srvepmd." + key : "setting " + key;
            }
        };
    }

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void durationsHaveOneGrammarWithLowerCaseUnits() {
        EpmdResolverProvider.Configuration c = config(Map.of("a", "500ms", "b", "2s", "c", "5m", "d", "1h",
                "e", "2S", "f", "2", "g", "25h", "h", "0s"));
        assertEquals(Duration.ofMillis(500), c.getDuration("a", Duration.ZERO));
        assertEquals(Duration.ofSeconds(2), c.getDuration("b", Duration.ZERO));
        assertEquals(Duration.ofMinutes(5), c.getDuration("c", Duration.ZERO));
        assertEquals(Duration.ofHours(1), c.getDuration("d", Duration.ZERO, Duration.ofMillis(1), Duration.ofHours(1)));
        assertEquals(Duration.ofSeconds(9), c.getDuration("unset", Duration.ofSeconds(9)));
        assertEquals("system property srvepmd.e='2S' is not a duration; expected a whole number and a unit: ms, s,"
                + " m or h, such as 500ms, 2s, 5m or 1h (units in lower case)", error(() -> c.getDuration("e", null)));
        assertEquals("system property srvepmd.f='2' is not a duration; expected a whole number and a unit: ms, s,"
                + " m or h, such as 500ms, 2s, 5m or 1h", error(() -> c.getDuration("f", null)));
        assertEquals("system property srvepmd.g='25h' is out of range; expected a duration from 0s to 24h",
                error(() -> c.getDuration("g", null)));
        assertEquals("system property srvepmd.h='0s' is out of range; expected a duration from 1ms to 1h",
                error(() -> c.getDuration("h", null, Duration.ofMillis(1), Duration.ofHours(1))));
        assertEquals("system property srvepmd.d='1h' is out of range; expected a duration from 1ms to 30m",
                error(() -> c.getDuration("d", null, Duration.ofMillis(1), Duration.ofMinutes(30))));
    }

    @Test
    void hugeDurationsAreRejectedNotOverflowed() {
        EpmdResolverProvider.Configuration c = config(Map.of("t", "999999999h", "u", "9999999999s"));
        assertEquals("system property srvepmd.t='999999999h' is out of range; expected a duration from 0s to 24h",
                error(() -> c.getDuration("t", null)));
        error(() -> c.getDuration("u", null));
    }

    @Test
    void numbersPortsAndBooleans() {
        EpmdResolverProvider.Configuration c = config(Map.of("n", " 42 ", "p", "4370", "q", "0", "r", "80x",
                "t", "true", "f", "false", "y", "yes"));
        assertEquals(42, c.getInt("n", 0, 1, 100));
        assertEquals(7, c.getInt("unset", 7, 1, 100));
        assertEquals("system property srvepmd.n=' 42 ' is not a whole number from 1 to 10",
                error(() -> c.getInt("n", 0, 1, 10)));
        assertEquals(OptionalInt.of(4370), c.getPort("p"));
        assertEquals(OptionalInt.empty(), c.getPort("unset"));
        assertEquals("system property srvepmd.q='0' is not a valid TCP port; expected a number 1-65535",
                error(() -> c.getPort("q")));
        assertEquals("system property srvepmd.r='80x' is not a valid TCP port; expected a number 1-65535",
                error(() -> c.getPort("r")));
        assertEquals(true, c.getBoolean("t", false));
        assertEquals(false, c.getBoolean("f", true));
        assertEquals(true, c.getBoolean("unset", true));
        assertEquals("system property srvepmd.y='yes' is not a boolean; expected true or false",
                error(() -> c.getBoolean("y", false)));
    }

    /**
     * Found by SettingValuesFuzzTest (regression input crash-non-ascii-digit): numbers took any
     * script's digits, durations only ASCII ones; now both take ASCII digits only.
     */
    @Test
    void numbersAreAsciiDigitsAsInDurations() {
        EpmdResolverProvider.Configuration c = config(Map.of("d", "\u06f2", "p", "\u0664\u0663\u0667\u0660",
                "s", "+42", "m", "-1"));
        assertEquals("system property srvepmd.d='\u06f2' is not a whole number from 1 to 100",
                error(() -> c.getInt("d", 0, 1, 100)));
        assertEquals("system property srvepmd.p='\u0664\u0663\u0667\u0660' is not a valid TCP port; expected a"
                + " number 1-65535", error(() -> c.getPort("p")));
        assertEquals(42, c.getInt("s", 0, 1, 100), "a sign is still read");
        assertEquals(-1, c.getInt("m", 0, -5, 5));
    }

    @Test
    void listsAndAddresses() throws Exception {
        EpmdResolverProvider.Configuration c = config(Map.of("l", "static, dns-srv", "e", "a,,b", "b", " ",
                "s", "127.0.0.1:8600,[::1]:53,10.0.0.2,fd00::2,127.0.0.1:8600", "h", "dns.example:53",
                "x", "[::1:53", "z", "127.0.0.1,010.0.0.1:53"));
        assertEquals(List.of("static", "dns-srv"), c.getList("l", List.of()));
        assertEquals(List.of(), c.getList("b", List.of("x")));
        assertEquals(List.of("d"), c.getList("unset", List.of("d")));
        assertEquals("system property srvepmd.e='a,,b' has an empty item; expected items separated by single commas",
                error(() -> c.getList("e", List.of())));
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8600),
                new InetSocketAddress(InetAddress.getByName("::1"), 53),
                new InetSocketAddress(InetAddress.getByName("10.0.0.2"), 53),
                new InetSocketAddress(InetAddress.getByName("fd00::2"), 53)), c.getAddresses("s", 53));
        assertEquals(List.of(), c.getAddresses("unset", 53));
        assertEquals("system property srvepmd.h='dns.example:53' has a bad address 'dns.example:53': 'dns.example'"
                + " is not an IP address (host names are not accepted: resolving them would itself need a lookup);"
                + " expected IP addresses with optional ports, such as 127.0.0.1:8600,[::1]:53,10.0.0.2",
                error(() -> c.getAddresses("h", 53)));
        assertEquals("system property srvepmd.z='127.0.0.1,010.0.0.1:53' has a bad address '010.0.0.1:53':"
                + " '010.0.0.1' has a number with a leading zero, which some programs read as octal (the C library's"
                + " resolv.conf reader takes 010 as 8): write 10.0.0.1 if that is what you mean; expected IP"
                + " addresses with optional ports, such as 127.0.0.1:8600,[::1]:53,10.0.0.2",
                error(() -> c.getAddresses("z", 53)));
        assertEquals("system property srvepmd.x='[::1:53' has a bad address '[::1:53': has no closing ']'; expected IP"
                + " addresses with optional ports, such as 127.0.0.1:8600,[::1]:53,10.0.0.2",
                error(() -> c.getAddresses("x", 53)));
    }

    @Test
    void requireSaysHowToSetAMissingKey() {
        EpmdResolverProvider.Configuration c = config(Map.of("kvfile.path", "/etc/kv", "blank", " "));
        assertEquals("/etc/kv", c.require("kvfile.path"));
        assertEquals("setting kvfile.dir is not set; set it with -Dsrvepmd.kvfile.dir=..., the environment variable"
                + " SRVEPMD_KVFILE_DIR or the agent argument kvfile.dir=...", error(() -> c.require("kvfile.dir")));
        assertEquals("system property srvepmd.blank is not set; set it with -Dsrvepmd.blank=..., the environment"
                + " variable SRVEPMD_BLANK or the agent argument blank=...", error(() -> c.require("blank")));
    }

    @Test
    void theDefaultHostResolverIsTheSystemOne() throws Exception {
        Resolution r = config(Map.of()).hostResolver().resolve("127.0.0.1", 4370);
        assertEquals(List.of(Candidate.of(InetAddress.getByName("127.0.0.1"), 4370)), r.candidates());
    }
}
