package io.srvepmd.staticmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.NodeName;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StaticEntryParserTest {

    private static final NodeName NODE = NodeName.parse("n@pod-0.svc.cluster.local");

    private static StaticEntry entry(String text) {
        return StaticEntryParser.parseEntry(text, "test");
    }

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> entry(text)).getMessage();
    }

    @Test
    void ipv4Literal() throws Exception {
        StaticEntry e = entry("node-0@host-a=10.0.0.7:4370");
        assertEquals(InetAddress.getByAddress(new byte[] {10, 0, 0, 7}), e.literal());
        assertEquals(4370, e.port());
        assertNull(e.hostToResolve(NODE));
        assertEquals("static entry 'node-0@host-a=10.0.0.7:4370' (test)", e.source());
    }

    @Test
    void ipv6Literal() throws Exception {
        StaticEntry e = entry("node-0@host-a=[fd00::7]:4370");
        assertTrue(e.literal() instanceof Inet6Address);
        assertEquals(InetAddress.getByName("fd00:0:0:0:0:0:0:7"), e.literal());
        assertEquals(4370, e.port());
        assertEquals(InetAddress.getByName("::1"), entry("a@b=[::1]:1").literal());
    }

    @Test
    void hostName() {
        StaticEntry e = entry("node-0@host-a=db-1.example.com:65535");
        assertNull(e.literal());
        assertEquals("db-1.example.com", e.hostToResolve(NODE));
        assertEquals(65535, e.port());
        assertEquals("localhost", entry("a@b=localhost:1").hostToResolve(NODE));
        assertEquals("fqdn.example.", entry("a@b=fqdn.example.:1").hostToResolve(NODE));
        // starts with a hex digit yet is not a literal
        assertEquals("abc.example", entry("a@b=abc.example:1").hostToResolve(NODE));
    }

    @Test
    void emptyAddressMeansTheNodesHost() {
        StaticEntry e = entry("*@*.svc.cluster.local=:4370");
        assertNull(e.literal());
        assertEquals("pod-0.svc.cluster.local", e.hostToResolve(NODE));
        assertEquals(4370, e.port());
    }

    @Test
    void whitespaceAroundTheEqualsSignIsIgnored() {
        StaticEntry e = entry("a@b =  10.0.0.1:99");
        assertEquals(99, e.port());
        assertTrue(e.nodes().matches(NodeName.parse("a@b")));
    }

    @Test
    void nodesValueSplitsOnSemicolonsAndSkipsEmptyEntries() {
        List<StaticEntry> entries = StaticEntryParser.parseNodes(
                " a@h=10.0.0.1:1 ;; ;\n b@h=[::1]:2;*@*=:3; ", "static.nodes", "test setting static.nodes");
        assertEquals(3, entries.size());
        assertEquals("static entry 'a@h=10.0.0.1:1' (static.nodes)", entries.get(0).source());
        assertEquals("static entry 'b@h=[::1]:2' (static.nodes)", entries.get(1).source());
        assertEquals("static entry '*@*=:3' (static.nodes)", entries.get(2).source());
        assertTrue(StaticEntryParser.parseNodes(" ; ", "static.nodes", "x").isEmpty());
    }

    @Test
    void fileLinesSkipCommentsAndBlankLines() {
        List<StaticEntry> entries = StaticEntryParser.parseLines(List.of(
                "# the cluster",
                "",
                "   ",
                "a@h=10.0.0.1:1   # trailing comment",
                "\t*@*.svc=:4370",
                "#b@h=10.0.0.2:2"), "static.file", "/etc/nodes", "test setting static.file");
        assertEquals(2, entries.size());
        assertEquals("static entry 'a@h=10.0.0.1:1' (static.file /etc/nodes line 4)", entries.get(0).source());
        assertEquals("static entry '*@*.svc=:4370' (static.file /etc/nodes line 5)", entries.get(1).source());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a@h                  | missing '=' between NODE and ADDRESS:PORT",
        "a@h=10.0.0.1         | missing ':PORT' after the address '10.0.0.1'",
        "a@h=                 | missing ':PORT' after the address ''",
        "a@h=10.0.0.1:        | the port is missing after ':'",
        "a@h=10.0.0.1:http    | port 'http' is not a number from 1 to 65535",
        "a@h=10.0.0.1:-1      | port '-1' is not a number from 1 to 65535",
        "a@h=10.0.0.1:123456  | port '123456' is not a number from 1 to 65535",
        "a@h=10.0.0.1:0       | port 0 is out of range 1-65535",
        "a@h=10.0.0.1:65536   | port 65536 is out of range 1-65535",
        "a@h=10.0.0.256:1     | '10.0.0.256' is not an IPv4 address: 256 is above 255",
        "a@h=10.0.0.010:1     | '10.0.0.010' has a number with a leading zero (010), which some programs read as octal: write it without leading zeros",
        "a@h=10.0.1:1         | '10.0.1' is not an IPv4 address (four numbers 0-255 separated by '.')",
        "a@h=10:1             | '10' is not an IPv4 address (four numbers 0-255 separated by '.')",
        "a@h=::1:4370         | the IPv6 address '::1' must be in brackets, as in '[::1]:4370'",
        "a@h=[::1:4370        | '[::1' is not a bracketed IPv6 address such as '[fd00::7]'",
        "a@h=[10.0.0.1]:4370  | '[10.0.0.1]' is not a bracketed IPv6 address such as '[fd00::7]'",
        "a@h=[]:4370          | '[]' is not a bracketed IPv6 address such as '[fd00::7]'",
        "a@h=*.example:1      | '*.example' is neither an IPv4 address, a bracketed IPv6 address nor a host name (letters, digits, '_', '-' and '.'-separated labels, no '*')",
        "a@h=a..b:1           | 'a..b' is neither an IPv4 address, a bracketed IPv6 address nor a host name (letters, digits, '_', '-' and '.'-separated labels, no '*')",
        "a@h=a b:1            | 'a b' is neither an IPv4 address, a bracketed IPv6 address nor a host name (letters, digits, '_', '-' and '.'-separated labels, no '*')",
        "=10.0.0.1:1          | malformed Erlang node name '': expected exactly one '@' between the alive part and the host",
    })
    void entryErrors(String text, String message) {
        assertEquals(message, error(text));
    }

    @Test
    void invalidIpv6LiteralCarriesTheJdkReason() {
        String message = error("a@h=[fd00::zz]:1");
        assertTrue(message.startsWith("'[fd00::zz]' is not a valid IPv6 address ("), message);
    }

    @Test
    void nodesErrorNamesSettingEntryAndExpectedForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StaticEntryParser
                .parseNodes("a@h=10.0.0.1:1; b@h=10.0.0.1:0 ;c@h=:1", "static.nodes", "test setting static.nodes"));
        assertEquals("test setting static.nodes: bad entry 'b@h=10.0.0.1:0': port 0 is out of range 1-65535; "
                + StaticEntryParser.EXPECTED, e.getMessage());
    }

    @Test
    void fileErrorNamesSettingPathLineEntryAndExpectedForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StaticEntryParser
                .parseLines(List.of("# header", "a@h=10.0.0.1:1", "b@h 10.0.0.1:1  # oops"),
                        "static.file", "/etc/nodes", "test setting static.file"));
        assertEquals("test setting static.file: /etc/nodes line 3: bad entry 'b@h 10.0.0.1:1': missing '='"
                + " between NODE and ADDRESS:PORT; " + StaticEntryParser.EXPECTED, e.getMessage());
    }
}
