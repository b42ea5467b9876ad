package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CoreSettingsTest {

    private static CoreSettings core(String agentArgs) throws ConfigException {
        return CoreSettings.from(Settings.load(agentArgs, new Properties(), Map.of(), CoreSettings.KEYS));
    }

    private static ConfigException invalid(String agentArgs) {
        return assertThrows(ConfigException.class, () -> core(agentArgs));
    }

    private static void assertMentions(ConfigException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void defaults() throws ConfigException {
        CoreSettings c = core(null);
        assertEquals(List.of("dns-srv"), c.resolvers());
        assertEquals(OptionalInt.empty(), c.distPort());
        assertFalse(c.distPortRequired());
        assertEquals("^(rpc|rem)-", c.helperPattern().toString());
        assertEquals(5, c.distLow());
        assertEquals(5, c.distHigh());
        assertEquals(Duration.ofSeconds(5), c.connectTimeout());
        assertEquals(Duration.ofSeconds(5), c.minTtl());
        assertEquals(Duration.ofMinutes(5), c.maxTtl());
        assertEquals(Duration.ofSeconds(1), c.negativeTtl());
        assertEquals(Duration.ofMinutes(30), c.staleTtl());
    }

    @Test
    void everyKeySet() throws ConfigException {
        CoreSettings c = core("resolvers= static , dns-srv ,dist.port=4370,dist.port-required=true,"
                + "dist.helper-pattern=^helper_,dist.version=5-6,connect.timeout=250ms,dns.min-ttl=0s,"
                + "dns.max-ttl=1h,dns.negative-ttl=2s,dns.stale-ttl=10m");
        assertEquals(List.of("static", "dns-srv"), c.resolvers());
        assertEquals(OptionalInt.of(4370), c.distPort());
        assertTrue(c.distPortRequired());
        assertTrue(c.helperPattern().matchEnd("helper_x") >= 0);
        assertEquals(5, c.distLow());
        assertEquals(6, c.distHigh());
        assertEquals(Duration.ofMillis(250), c.connectTimeout());
        assertEquals(Duration.ZERO, c.minTtl());
        assertEquals(Duration.ofHours(1), c.maxTtl());
        assertEquals(Duration.ofSeconds(2), c.negativeTtl());
        assertEquals(Duration.ofMinutes(10), c.staleTtl());
    }

    @Test
    void distVersionSingle() throws ConfigException {
        CoreSettings c = core("dist.version=6");
        assertEquals(6, c.distLow());
        assertEquals(6, c.distHigh());
    }

    @Test
    void distVersionRange() throws ConfigException {
        CoreSettings c = core("dist.version=5-6");
        assertEquals(5, c.distLow());
        assertEquals(6, c.distHigh());
    }

    @Test
    void settingsFromPropertiesAndEnvironmentAreReadToo() throws ConfigException {
        Properties p = new Properties();
        p.setProperty("srvepmd.dist.port", "4371");
        CoreSettings c = CoreSettings.from(Settings.load(null, p,
                Map.of("SRVEPMD_DNS_STALE_TTL", "1m"), CoreSettings.KEYS));
        assertEquals(OptionalInt.of(4371), c.distPort());
        assertEquals(Duration.ofMinutes(1), c.staleTtl());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dist.port|abc|a number 1-65535",
        "dist.port|0|a number 1-65535",
        "dist.port|-1|a number 1-65535",
        "dist.port|70000|a number 1-65535",
        "dist.port|''|a number 1-65535",
        "dist.port-required|yes|true or false",
        "dist.port-required|TRUE|true or false",
        "dist.helper-pattern|(rpc|regular expression",
        "dist.version|0|e.g. 5 or 5-6",
        "dist.version|x|e.g. 5 or 5-6",
        "dist.version|6-5|e.g. 5 or 5-6",
        "dist.version|5-|e.g. 5 or 5-6",
        "dist.version|-5|e.g. 5 or 5-6",
        "dist.version|5-70000|e.g. 5 or 5-6",
        "connect.timeout|5|e.g. 500ms, 2s, 5m or 1h",
        "connect.timeout|1d|e.g. 500ms, 2s, 5m or 1h",
        "dns.min-ttl|-1s|e.g. 500ms, 2s, 5m or 1h",
        "dns.max-ttl|''|e.g. 500ms, 2s, 5m or 1h",
        "dns.negative-ttl|1.5s|e.g. 500ms, 2s, 5m or 1h",
        "dns.stale-ttl|forever|e.g. 500ms, 2s, 5m or 1h",
    })
    void invalidValueNamesKeyValueAndForm(String key, String value, String form) {
        ConfigException e = invalid(key + "=" + value);
        assertMentions(e, "agent argument " + key + "='" + value + "'", form);
    }

    @Test
    void emptyResolversListIsRejected() {
        assertMentions(invalid("resolvers= , "), "agent argument resolvers", "is empty", "dns-srv");
        assertMentions(invalid("resolvers="), "agent argument resolvers", "is empty");
    }

    @Test
    void zeroConnectTimeoutIsRejectedNamingTheValue() {
        ConfigException e = invalid("connect.timeout=0ms");
        assertMentions(e, "agent argument connect.timeout='0ms'", "never connect");
    }

    @Test
    void minTtlLargerThanMaxTtlIsRejectedNamingBoth() {
        ConfigException e = invalid("dns.min-ttl=10m,dns.max-ttl=1m");
        assertMentions(e, "agent argument dns.min-ttl=600000ms", "agent argument dns.max-ttl=60000ms",
                "must not exceed");
    }

    @Test
    void minTtlLargerThanDefaultMaxTtl() {
        ConfigException e = invalid("dns.min-ttl=6m");
        assertMentions(e, "dns.min-ttl", "setting dns.max-ttl (default)");
    }

    @Test
    void minTtlEqualToMaxTtlIsFine() throws ConfigException {
        assertEquals(Duration.ofMinutes(1), core("dns.min-ttl=1m,dns.max-ttl=60s").minTtl());
    }

    @Test
    void portParsesTrimmedAndNamesTheVariable() throws ConfigException {
        assertEquals(4370, CoreSettings.port(" 4370 ", "ERL_DIST_PORT"));
        assertEquals(1, CoreSettings.port("1", "x"));
        assertEquals(65535, CoreSettings.port("65535", "x"));
        ConfigException e = assertThrows(ConfigException.class, () -> CoreSettings.port("65536", "ERL_DIST_PORT"));
        assertMentions(e, "ERL_DIST_PORT='65536'");
    }
}
