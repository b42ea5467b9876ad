package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    /** A provider that declares two keys, as a resolver jar on the class path would. */
    static final class KeyedProvider extends EpmdResolverProvider {
        @Override
        public String name() {
            return "keyed";
        }

        @Override
        public Set<String> configurationKeys() {
            return Set.of("keyed.servers", "keyed.some-thing");
        }

        @Override
        public EpmdResolver get(Configuration configuration) {
            throw new UnsupportedOperationException();
        }
    }

    private static final Set<String> KEYS = keys(new KeyedProvider());

    private static Set<String> keys(EpmdResolverProvider p) {
        Set<String> keys = new java.util.TreeSet<>(CoreSettings.KEYS);
        keys.addAll(p.configurationKeys());
        return keys;
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void knownKeysAreTheCoreOnesPlusEveryProviders() {
        assertTrue(KEYS.containsAll(CoreSettings.KEYS));
        assertTrue(KEYS.contains("keyed.servers"));
        assertTrue(KEYS.contains("keyed.some-thing"));
        assertEquals(CoreSettings.KEYS.size() + 2, KEYS.size());
    }

    @Test
    void envNameUpperCasesAndMapsDotsAndDashes() {
        assertEquals("SRVEPMD_DIST_PORT_REQUIRED", Settings.envName("dist.port-required"));
        assertEquals("SRVEPMD_DNS_MIN_TTL", Settings.envName("dns.min-ttl"));
        assertEquals("SRVEPMD_RESOLVERS", Settings.envName("resolvers"));
    }

    @Test
    void nothingSetMeansEmptyAndDefaultDescription() throws ConfigException {
        Settings s = Settings.load(null, new Properties(), Map.of(), KEYS);
        assertEquals(Optional.empty(), s.get("resolvers"));
        assertEquals("setting resolvers", s.describe("resolvers"));
    }

    @Test
    void agentArgumentBeatsPropertyBeatsEnvironment() throws ConfigException {
        Map<String, String> env = Map.of(
                "SRVEPMD_DIST_HELPER_PATTERN", "env",
                "SRVEPMD_DNS_MIN_TTL", "env",
                "SRVEPMD_DIST_PORT_REQUIRED", "env",
                "SRVEPMD_KEYED_SOME_THING", "env");
        Properties p = props(
                "srvepmd.dist.helper-pattern", "prop",
                "srvepmd.dns.min-ttl", "prop");
        Settings s = Settings.load("dist.helper-pattern=arg", p, env, KEYS);

        assertEquals(Optional.of("arg"), s.get("dist.helper-pattern"));
        assertEquals("agent argument dist.helper-pattern", s.describe("dist.helper-pattern"));

        assertEquals(Optional.of("prop"), s.get("dns.min-ttl"));
        assertEquals("system property srvepmd.dns.min-ttl", s.describe("dns.min-ttl"));

        assertEquals(Optional.of("env"), s.get("dist.port-required"));
        assertEquals("environment variable SRVEPMD_DIST_PORT_REQUIRED", s.describe("dist.port-required"));

        // a provider's key with a dash, mapped from the environment
        assertEquals(Optional.of("env"), s.get("keyed.some-thing"));
        assertEquals("environment variable SRVEPMD_KEYED_SOME_THING", s.describe("keyed.some-thing"));
    }

    @Test
    void unrelatedEnvironmentAndPropertiesAreIgnored() throws ConfigException {
        Settings s = Settings.load(null, props("user.name", "x", "srvepmdx", "y"),
                Map.of("PATH", "/bin", "SRVEPMDX", "1", "ERL_DIST_PORT", "4370"), KEYS);
        assertEquals(Optional.empty(), s.get("dist.port"));
    }

    @Test
    void unknownEnvironmentVariableNamesSourceKeyAndValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.load(null, new Properties(), Map.of("SRVEPMD_DNS_TIMOUT", "3s"), KEYS));
        assertTrue(e.getMessage().contains("environment variable SRVEPMD_DNS_TIMOUT='3s'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown setting"), e.getMessage());
        assertTrue(e.getMessage().contains("keyed.servers"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void unknownSystemPropertyNamesSourceKeyAndValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.load(null, props("srvepmd.dns.timout", "3s"), Map.of(), KEYS));
        assertTrue(e.getMessage().contains("system property srvepmd.dns.timout='3s'"), e.getMessage());
    }

    @Test
    void unknownAgentArgumentNamesSourceKeyAndValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.load("dist.helper-pattern=5,dns.timout=3s", new Properties(), Map.of(), KEYS));
        assertTrue(e.getMessage().contains("agent argument dns.timout='3s'"), e.getMessage());
    }

    @Test
    void aProvidersKeyIsUnknownWithoutThatProvider() {
        Set<String> coreOnly = CoreSettings.KEYS;
        assertThrows(ConfigException.class,
                () -> Settings.load("keyed.servers=a", new Properties(), Map.of(), coreOnly));
    }

    @Test
    void agentArgumentListValueReachesTheReader() throws ConfigException {
        Settings s = Settings.load("keyed.servers=a:1,b:2,dist.helper-pattern=5", new Properties(), Map.of(), KEYS);
        assertEquals(Optional.of("a:1,b:2"), s.get("keyed.servers"));
        assertEquals(Optional.of("5"), s.get("dist.helper-pattern"));
    }

    @Test
    void badAgentArgumentsFailLoad() {
        assertThrows(ConfigException.class,
                () -> Settings.load("resolvers=a,resolvers=b", new Properties(), Map.of(), KEYS));
    }
}
