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
        assertEquals(Duration.ofSeconds(5), c.connectTimeout());
        assertEquals(Duration.ofSeconds(10), c.connectTotalTimeout());
        assertEquals(8, c.connectMaxAttempts());
        assertEquals(Duration.ofSeconds(2), c.timeout());
        CachePolicy p = c.cachePolicy();
        assertEquals(Duration.ofSeconds(5), p.minTtl());
        assertEquals(Duration.ofMinutes(5), p.maxTtl());
        assertEquals(Duration.ofSeconds(1).toNanos(), p.negativeNanos);
        assertEquals(Duration.ofMinutes(30).toNanos(), p.staleNanos);
        assertEquals(10_000, p.capacity);
    }

    @Test
    void everyKeySet() throws ConfigException {
        CoreSettings c = core("resolvers= static , dns-srv ,dist.port=4370,dist.port-required=true,"
                + "dist.helper-pattern=^helper_,connect.timeout=250ms,connect.total-timeout=3s,"
                + "connect.max-attempts=3,dns.timeout=1h,dns.min-ttl=0s,dns.max-ttl=24h,dns.negative-ttl=2s,"
                + "dns.stale-ttl=10m,dns.cache-size=500");
        assertEquals(List.of("static", "dns-srv"), c.resolvers());
        assertEquals(OptionalInt.of(4370), c.distPort());
        assertTrue(c.distPortRequired());
        assertTrue(c.helperPattern().matchEnd("helper_x") >= 0);
        assertEquals(Duration.ofMillis(250), c.connectTimeout());
        assertEquals(Duration.ofSeconds(3), c.connectTotalTimeout());
        assertEquals(3, c.connectMaxAttempts());
        assertEquals(Duration.ofHours(1), c.timeout(), "1h is allowed, as the message says");
        CachePolicy p = c.cachePolicy();
        assertEquals(Duration.ZERO, p.minTtl());
        assertEquals(Duration.ofHours(24), p.maxTtl());
        assertEquals(Duration.ofSeconds(2).toNanos(), p.negativeNanos);
        assertEquals(Duration.ofMinutes(10).toNanos(), p.staleNanos);
        assertEquals(500, p.capacity);
    }

    @Test
    void distVersionIsGoneAndSaysSo() {
        assertMentions(invalid("dist.version=5"), "unknown setting agent argument dist.version='5'");
    }

    @Test
    void settingsFromPropertiesAndEnvironmentAreReadToo() throws ConfigException {
        Properties p = new Properties();
        p.setProperty("srvepmd.dist.port", "4371");
        CoreSettings c = CoreSettings.from(Settings.load(null, p,
                Map.of("SRVEPMD_DNS_STALE_TTL", "1m"), CoreSettings.KEYS));
        assertEquals(OptionalInt.of(4371), c.distPort());
        assertEquals(Duration.ofMinutes(1).toNanos(), c.cachePolicy().staleNanos);
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
        "connect.timeout|5|such as 500ms, 2s, 5m or 1h",
        "connect.timeout|1d|such as 500ms, 2s, 5m or 1h",
        "connect.timeout|0ms|from 1ms to 1h",
        "connect.timeout|2h|from 1ms to 1h",
        "connect.total-timeout|0s|from 1ms to 1h",
        "connect.max-attempts|0|a whole number from 1 to 1000",
        "dns.timeout|2S|(units in lower case)",
        "dns.timeout|0s|from 1ms to 1h",
        "dns.timeout|61m|from 1ms to 1h",
        "dns.min-ttl|-1s|such as 500ms, 2s, 5m or 1h",
        "dns.min-ttl|2S|(units in lower case)",
        "dns.max-ttl|''|such as 500ms, 2s, 5m or 1h",
        "dns.max-ttl|999999999h|from 0s to 24h",
        "dns.negative-ttl|1.5s|such as 500ms, 2s, 5m or 1h",
        "dns.stale-ttl|forever|such as 500ms, 2s, 5m or 1h",
        "dns.cache-size|0|a whole number from 1 to 1000000",
        "dns.cache-size|lots|a whole number from 1 to 1000000",
    })
    void invalidValueNamesKeyValueAndForm(String key, String value, String form) {
        ConfigException e = invalid(key + "=" + value);
        assertMentions(e, "agent argument " + key + "='" + value + "'", form);
    }

    @Test
    void emptyResolversListIsRejected() {
        assertMentions(invalid("resolvers= , "), "agent argument resolvers=' , ' has an empty item");
        assertMentions(invalid("resolvers= "), "agent argument resolvers is empty", "dns-srv");
        assertMentions(invalid("resolvers="), "agent argument resolvers", "is empty");
    }

    @Test
    void minTtlLargerThanMaxTtlIsRejectedNamingBoth() {
        ConfigException e = invalid("dns.min-ttl=10m,dns.max-ttl=1m");
        assertMentions(e, "agent argument dns.min-ttl=10m", "agent argument dns.max-ttl=1m", "must not exceed");
    }

    @Test
    void minTtlLargerThanDefaultMaxTtl() {
        ConfigException e = invalid("dns.min-ttl=6m");
        assertMentions(e, "agent argument dns.min-ttl=6m is larger than setting dns.max-ttl=5m");
    }

    @Test
    void minTtlEqualToMaxTtlIsFine() throws ConfigException {
        assertEquals(Duration.ofMinutes(1), core("dns.min-ttl=1m,dns.max-ttl=60s").cachePolicy().minTtl());
    }
}
