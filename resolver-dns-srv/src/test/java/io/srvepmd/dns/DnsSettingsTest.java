package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.EpmdResolverProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsSettingsTest {

    @TempDir
    Path dir;

    private DnsSettings parse(TestConfig c) throws IOException {
        Path conf = dir.resolve("resolv.conf");
        Files.writeString(conf, "search example.org\nnameserver 10.1.2.3\nnameserver fe80::1\n");
        return DnsSettings.parse(c, conf);
    }

    private static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(ip.indexOf(':') >= 0 ? HostsFile.literal(ip)
                : Servers.v4(ip), port);
    }

    @Test
    void providerIsFoundByServiceLoaderWithItsKeys() {
        EpmdResolverProvider p = ServiceLoader.load(EpmdResolverProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(x -> x.name().equals("dns-srv")).findFirst().orElseThrow();
        assertEquals(Set.of("dns.servers", "dns.query", "dns.family", "dns.service", "dns.resolution-delay",
                "dns.resolv-conf"), p.configurationKeys(),
                "dns.timeout is the agent's, not this resolver's");
    }

    @Test
    void defaults() throws IOException {
        DnsSettings s = parse(TestConfig.of());
        assertEquals(List.of(addr("10.1.2.3", 53), addr("fe80::1", 53)), s.servers);
        assertEquals(Duration.ofSeconds(2), s.timeout);
        assertEquals("{alive}.{host}", s.query.text());
        assertEquals(Family.ANY, s.family);
        assertEquals(Duration.ofMillis(50), s.resolutionDelay, "RFC 8305 section 3");
        assertNull(s.service);
    }

    @Test
    void resolvConfSettingNamesTheFileTheServersComeFrom() throws IOException {
        Path other = dir.resolve("other.conf");
        Files.writeString(other, "options timeout:30 ndots:5\nsearch svc.test\nnameserver 10.9.9.9\n"
                + "nameserver 127.0.0.1\nsortlist 10.0.0.0/8\n");
        DnsSettings s = parse(TestConfig.of("dns.resolv-conf", other.toString()));
        assertEquals(List.of(addr("10.9.9.9", 53), addr("127.0.0.1", 53)), s.servers);
        Path none = dir.resolve("none.conf");
        Files.writeString(none, "search svc.test\n");
        assertEquals(List.of(addr("127.0.0.1", 53)), parse(TestConfig.of("dns.resolv-conf", none.toString())).servers,
                "no nameserver line: the C library's default");
    }

    /**
     * {@code nameserver 010.0.0.1}: the C library's reader takes 010 as octal (8.0.0.1), Java and many tools as
     * decimal; the agent uses neither guess and skips the line as not an IP literal.
     */
    @Test
    void aNameserverWithALeadingZeroIsNoLiteralAndIsSkipped() throws IOException {
        Path conf = dir.resolve("zeros.conf");
        Files.writeString(conf, "nameserver 010.0.0.1\nnameserver 10.0.0.02\nnameserver 10.0.0.3\n");
        assertEquals(List.of(addr("10.0.0.3", 53)), parse(TestConfig.of("dns.resolv-conf", conf.toString())).servers);
    }

    @Test
    void resolvConfSettingMustNameAFileAndCannotBeSetBesideServers() {
        String missing = dir.resolve("missing.conf").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(TestConfig.of("dns.resolv-conf", missing)));
        assertEquals("test setting dns.resolv-conf='" + missing + "' is not a file; expected a file in resolv.conf"
                + " format, such as /etc/resolv.conf, or leave it unset", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse(TestConfig.of("dns.resolv-conf", dir.toString())));
        assertTrue(e.getMessage().contains("is not a file"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse(TestConfig.of("dns.resolv-conf", "/etc/resolv.conf", "dns.servers", "127.0.0.1")));
        assertEquals("test setting dns.resolv-conf='/etc/resolv.conf' is set together with dns.servers, which it"
                + " would only be the default of; expected one of them: dns.servers or dns.resolv-conf",
                e.getMessage());
    }

    @Test
    void resolvConfWithoutServersOrMissingMeansLocalhost() throws IOException {
        Path empty = dir.resolve("empty.conf");
        Files.writeString(empty, "# nothing\nnameserver not-an-ip\n");
        assertEquals(List.of(addr("127.0.0.1", 53)), DnsSettings.parse(TestConfig.of(), empty).servers);
        assertEquals(List.of(addr("127.0.0.1", 53)),
                DnsSettings.parse(TestConfig.of(), dir.resolve("missing")).servers);
    }

    @Test
    void serverForms() throws IOException {
        DnsSettings s = parse(TestConfig.of("dns.servers", " 127.0.0.1:8600, [::1]:5353,10.0.0.2,::1 ,[fd00::2]"));
        assertEquals(List.of(addr("127.0.0.1", 8600), addr("::1", 5353), addr("10.0.0.2", 53), addr("::1", 53),
                addr("fd00::2", 53)), s.servers);
    }

    @Test
    void timeoutOfOneHourIsAllowed() throws IOException {
        assertEquals(Duration.ofHours(1), parse(TestConfig.of("dns.timeout", "1h")).timeout);
    }

    @Test
    void everyOtherKey() throws IOException {
        DnsSettings s = parse(TestConfig.of("dns.timeout", "500ms", "dns.query", "_epmd._tcp.{alive}.{host}.",
                "dns.family", "IPv6-First", "dns.service", "svc.service.consul.", "dns.resolution-delay", "0ms"));
        assertEquals(Duration.ofMillis(500), s.timeout);
        assertEquals(Duration.ZERO, s.resolutionDelay);
        assertEquals(Family.IPV6_FIRST, s.family);
        assertEquals("svc.service.consul", s.service);
        assertEquals("_epmd._tcp.a.b.c", s.query.nameFor(io.srvepmd.spi.NodeName.parse("a@b.c")));
        assertNull(parse(TestConfig.of("dns.service", " ")).service);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dns.servers|dns.example.com:53|is not an IP address (host names are not accepted",
        "dns.servers|127.0.0.1:0|port '0' is not a number 1-65535",
        "dns.servers|127.0.0.1:x|port 'x'",
        "dns.servers|127.0.0.1,,10.0.0.1|has an empty item",
        "dns.servers|300.1.1.1|'300.1.1.1' is not an IP address",
        "dns.servers|010.0.0.1:53|'010.0.0.1' has a number with a leading zero, which some programs read as octal"
            + " (the C library's resolv.conf reader takes 010 as 8): write 10.0.0.1 if that is what you mean",
        "dns.servers|[::1|no closing ']'",
        "dns.servers|[::1]x|instead of :port",
        "dns.servers|1:2:zz::1|is not an IPv6 address",
        "dns.timeout|0ms|is out of range; expected a duration from 1ms to 1h",
        "dns.timeout|250|is not a duration; expected a whole number and a unit",
        "dns.timeout|2S|(units in lower case)",
        "dns.timeout|61m|is out of range; expected a duration from 1ms to 1h",
        "dns.timeout|-1s|is not a duration",
        "dns.query|{alive}.{hots}|unknown placeholder {hots}",
        "dns.query|{alive.{host}|unknown placeholder {alive.{host}",
        "dns.query|{alive}}|closes no placeholder",
        "dns.query|x.{alive|never closed",
        "dns.query|static.name|no placeholder",
        "dns.query|{alive} {host}|character ' '",
        "dns.family|inet6|names no address family",
        "dns.resolution-delay|50|is not a duration; expected a whole number and a unit",
        "dns.resolution-delay|2h|is out of range; expected a duration from 0s to 1h",
        "dns.service|a..b|empty label",
    })
    void errorsNameKeySourceValueAndWhatIsValid(String key, String value, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(TestConfig.of(key, value)));
        String m = e.getMessage();
        assertTrue(m.startsWith("test setting " + key + "='" + value + "' "), m);
        assertTrue(m.contains(why), m);
        assertTrue(m.contains("; expected "), m);
    }

    @Test
    void familyErrorListsChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(TestConfig.of("dns.family", "v6")));
        assertTrue(e.getMessage().endsWith("expected any, ipv4, ipv6 or ipv6-first"), e.getMessage());
    }

    @Test
    void providerGetValidatesWithoutTouchingTheNetwork() {
        EpmdResolverProvider p = new DnsSrvResolverProvider();
        assertEquals("dns-srv", p.name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.get(TestConfig.of("dns.timeout", "soon")));
        assertTrue(e.getMessage().contains("test setting dns.timeout='soon' is not a duration"), e.getMessage());
        // nothing is sent: 192.0.2.1 (TEST-NET-1) would never answer
        p.get(TestConfig.of("dns.servers", "192.0.2.1")).close();
    }
}
