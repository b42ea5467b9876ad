package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenPortsTest {

    private static CoreSettings core(String agentArgs) throws ConfigException {
        return CoreSettings.from(Settings.load(agentArgs, new Properties(), Map.of(),
                CoreSettings.KEYS));
    }

    private final Map<String, String> env = new HashMap<>();

    private ListenPorts ports(String agentArgs) throws ConfigException {
        CoreSettings c = core(agentArgs);
        return new ListenPorts(c, new LocalNodes(c.helperPattern()), env::get);
    }

    @Test
    void explicitPortWinsOverEverything() throws Exception {
        env.put("ERL_DIST_PORT", "4370");
        assertEquals(5555, ports(null).choose("app@h", "app", 5555));
        assertEquals(5555, ports("dist.port=4371").choose("app@h", "app", 5555));
        assertEquals(5555, ports(null).choose("rpc-app-1@h", "rpc-app-1", 5555));
    }

    @Test
    void helperGetsAnEphemeralPort() throws Exception {
        env.put("ERL_DIST_PORT", "4370");
        assertEquals(0, ports(null).choose("rpc-app-1@h", "rpc-app-1", 0));
        assertEquals(0, ports("dist.port=4371").choose("rem-x@h", "rem-x", 0));
    }

    @Test
    void customHelperPattern() throws Exception {
        env.put("ERL_DIST_PORT", "4370");
        ListenPorts p = ports("dist.helper-pattern=^tool_");
        assertEquals(0, p.choose("tool_x@h", "tool_x", 0));
        assertEquals(4370, p.choose("rpc-x@h", "rpc-x", 0));
    }

    @Test
    void distPortSettingWinsOverTheVariable() throws Exception {
        env.put("ERL_DIST_PORT", "4370");
        assertEquals(4371, ports("dist.port=4371").choose("app@h", "app", 0));
    }

    @Test
    void validErlDistPort() throws Exception {
        env.put("ERL_DIST_PORT", "4370");
        assertEquals(4370, ports(null).choose("app@h", "app", 0));
        env.put("ERL_DIST_PORT", " 65535 ");
        assertEquals(65535, ports(null).choose("app@h", "app", 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "0", "-1", "70000", "43 70"})
    void invalidErlDistPortFailsNamingVariableAndValue(String value) throws Exception {
        env.put("ERL_DIST_PORT", value);
        ListenPorts p = ports(null);
        IOException e = assertThrows(IOException.class, () -> p.choose("app@h", "app", 0));
        assertTrue(e.getMessage().contains("ERL_DIST_PORT='" + value + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("app@h"), e.getMessage());
    }

    @Test
    void invalidErlDistPortIsIgnoredForHelpersAndExplicitPorts() throws Exception {
        env.put("ERL_DIST_PORT", "abc");
        assertEquals(0, ports(null).choose("rpc-x@h", "rpc-x", 0));
        assertEquals(7, ports(null).choose("app@h", "app", 7));
    }

    @Test
    void unsetGivesEphemeralPortAndOneWarningNamingTheVariable() throws Exception {
        try (CapturedWarnings warnings = new CapturedWarnings()) {
            ListenPorts p = ports(null);
            assertEquals(0, p.choose("app@h", "app", 0));
            assertEquals(0, p.choose("other@h", "other", 0));
            assertEquals(1, warnings.mentioning("ERL_DIST_PORT"), warnings.messages().toString());
            assertTrue(warnings.messages().get(0).contains("app@h"), warnings.messages().toString());
        }
    }

    @Test
    void unsetWhileRequiredFails() throws Exception {
        ListenPorts p = ports("dist.port-required=true");
        IOException e = assertThrows(IOException.class, () -> p.choose("app@h", "app", 0));
        assertTrue(e.getMessage().contains("ERL_DIST_PORT"), e.getMessage());
        assertTrue(e.getMessage().contains("app@h"), e.getMessage());
    }

    @Test
    void requiredIsSatisfiedByDistPortOrHelper() throws Exception {
        assertEquals(4371, ports("dist.port-required=true,dist.port=4371").choose("app@h", "app", 0));
        assertEquals(0, ports("dist.port-required=true").choose("rpc-x@h", "rpc-x", 0));
    }
}
