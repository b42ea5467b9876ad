package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KillSwitchTest {

    private static Properties property(String value) {
        Properties p = new Properties();
        p.setProperty("srvepmd.enabled", value);
        return p;
    }

    @Test
    void onUnlessSetToFalse() throws ConfigException {
        assertNull(KillSwitch.offBy(null, new Properties(), Map.of()));
        assertNull(KillSwitch.offBy("enabled=true", new Properties(), Map.of()));
        assertNull(KillSwitch.offBy(null, property("true"), Map.of("SRVEPMD_ENABLED", "false")));
    }

    @Test
    void theUsualPrecedenceAgentArgumentThenSystemPropertyThenEnvironment() throws ConfigException {
        assertEquals("environment variable SRVEPMD_ENABLED=false",
                KillSwitch.offBy("dns.timeout=1s", new Properties(), Map.of("SRVEPMD_ENABLED", "false")));
        assertEquals("system property srvepmd.enabled=false",
                KillSwitch.offBy(null, property(" false "), Map.of("SRVEPMD_ENABLED", "true")));
        assertEquals("agent argument enabled=false",
                KillSwitch.offBy("dns.servers=127.0.0.1:53,enabled=false", property("true"), Map.of()));
        assertNull(KillSwitch.offBy("enabled=true", property("false"), Map.of("SRVEPMD_ENABLED", "false")));
    }

    @Test
    void switchedOffNoOtherSettingIsRead() throws ConfigException {
        Properties p = property("false");
        p.setProperty("srvepmd.no-such-key", "x");
        p.setProperty("srvepmd.dns.timeout", "soon");
        assertEquals("system property srvepmd.enabled=false", KillSwitch.offBy(null, p, Map.of("SRVEPMD_TYPO", "1")));
    }

    @Test
    void aValueThatIsNotABooleanIsAnErrorNamingWhereItCameFrom() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> KillSwitch.offBy(null, property("off"), Map.of()));
        assertEquals("system property srvepmd.enabled='off' is not a boolean; expected true or false", e.getMessage());
    }

    /** The other readers of the settings (the agent switched on, settings, doctor) know the key and check it. */
    @Test
    void theSettingsKnowTheKeyAndCheckItsValue() throws ConfigException {
        CoreSettings.from(Settings.load(null, new Properties(), Map.of("SRVEPMD_ENABLED", "true"), CoreSettings.KEYS));
        ConfigException e = assertThrows(ConfigException.class, () -> CoreSettings.from(
                Settings.load("enabled=yes", new Properties(), Map.of(), CoreSettings.KEYS)));
        assertEquals("agent argument enabled='yes' is not a boolean; expected true or false", e.getMessage());
    }
}
