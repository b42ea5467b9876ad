package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentArgumentsTest {

    @Test
    void noArgumentsIsEmpty() throws ConfigException {
        assertEquals(Map.of(), AgentArguments.parse(null));
        assertEquals(Map.of(), AgentArguments.parse(""));
        assertEquals(Map.of(), AgentArguments.parse("  "));
    }

    @Test
    void simplePairsKeepTheirOrder() throws ConfigException {
        Map<String, String> m = AgentArguments.parse("resolvers=static,dist.version=5-6,dist.port-required=true");
        assertEquals(List.of("resolvers", "dist.version", "dist.port-required"), List.copyOf(m.keySet()));
        assertEquals("static", m.get("resolvers"));
        assertEquals("5-6", m.get("dist.version"));
        assertEquals("true", m.get("dist.port-required"));
    }

    @Test
    void aCommaNotFollowedByKeyContinuesTheValue() throws ConfigException {
        Map<String, String> m = AgentArguments.parse("dns.servers=a:1,b:2,dns.timeout=1s");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("dns.servers", "a:1,b:2");
        expected.put("dns.timeout", "1s");
        assertEquals(expected, m);
    }

    @Test
    void listsOfNamesAndIpv6ServersContinueToo() throws ConfigException {
        Map<String, String> m = AgentArguments.parse("resolvers=static,dns-srv,dns.servers=[::1]:53,127.0.0.1:8600");
        assertEquals("static,dns-srv", m.get("resolvers"));
        assertEquals("[::1]:53,127.0.0.1:8600", m.get("dns.servers"));
        assertEquals(2, m.size());
    }

    @Test
    void staticNodesWithEqualsSignsInTheValue() throws ConfigException {
        Map<String, String> m = AgentArguments.parse("static.nodes=x@h=1.2.3.4:5;y@h=5.6.7.8:9,dist.version=5");
        assertEquals("x@h=1.2.3.4:5;y@h=5.6.7.8:9", m.get("static.nodes"));
        assertEquals("5", m.get("dist.version"));
    }

    @Test
    void aNodeNameAfterACommaIsNotAKey() throws ConfigException {
        // "y@h=..." has '@', so it cannot start a pair; it continues static.nodes.
        Map<String, String> m = AgentArguments.parse("static.nodes=x@h=1.2.3.4:5,y@h=5.6.7.8:9");
        assertEquals(Map.of("static.nodes", "x@h=1.2.3.4:5,y@h=5.6.7.8:9"), m);
    }

    @Test
    void emptyValueIsKept() throws ConfigException {
        assertEquals(Map.of("dns.servers", ""), AgentArguments.parse("dns.servers="));
    }

    @Test
    void duplicateKeyIsRejectedNamingIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentArguments.parse("dns.timeout=1s,dns.servers=a:1,dns.timeout=2s"));
        assertTrue(e.getMessage().contains("'dns.timeout'"), e.getMessage());
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void duplicateKeyWithEmptyValuesIsRejectedToo() {
        assertThrows(ConfigException.class, () -> AgentArguments.parse("dns.servers=,dns.servers="));
    }

    @Test
    void leadingTokenThatIsNotKeyValueIsRejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentArguments.parse("127.0.0.1:8600,dns.timeout=1s"));
        assertTrue(e.getMessage().contains("'127.0.0.1:8600'"), e.getMessage());
        assertTrue(e.getMessage().contains("not key=value"), e.getMessage());
    }

    @Test
    void upperCaseKeyIsNotAKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentArguments.parse("DNS.TIMEOUT=1s"));
        assertTrue(e.getMessage().contains("DNS.TIMEOUT=1s"), e.getMessage());
    }
}
