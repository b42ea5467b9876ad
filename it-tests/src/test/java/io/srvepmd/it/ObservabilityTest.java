package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FlightRecording;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's windows into a running JVM with the agent, each read the way
 * its tools read it: JMX from the platform MBean server, JDK Flight Recorder
 * events with the JDK's {@code jfr} tool, and DEBUG lines through
 * java.util.logging and through an SLF4J/Logback host.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ObservabilityTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String GHOST = "ghost@svc.test";

    @Test
    void jmxShowsTheCountersAndDropsAnAnswerOnRequest() {
        DnsServer dns = dnsWithErlangNode(ERL);
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "mbean-servers", "connect:" + ERL,
                "connect:" + ERL, "connect:" + GHOST, "mbean-servers", "jmx", "jmx-cache", "jmx-invalidate:" + ERL,
                "connect:" + ERL, "jmx").start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.describe());
        assertEquals(List.of("MBEAN-SERVERS 0", "MBEAN-SERVERS 0"), app.stdoutLines().stream()
                .filter(l -> l.startsWith("MBEAN-SERVERS")).collect(Collectors.toList()),
                "the agent never starts the platform MBean server itself");

        List<String> firstRead = app.stdoutLines().subList(0, app.stdoutLines().indexOf(
                app.stdoutLines().stream().filter(l -> l.startsWith("JMX-CACHE")).findFirst().orElseThrow()));
        Map<String, String> before = Steps.jmx(firstRead);
        assertEquals("3", before.get("type=Agent Lookups"), before.toString());
        assertEquals("1", before.get("type=Agent CacheHits"), "the second connect: " + before);
        assertEquals("2", before.get("type=Agent CacheMisses"), before.toString());
        assertEquals("1", before.get("type=Agent NegativeAnswers"), "the ghost: NXDOMAIN " + before);
        assertEquals("1", before.get("type=Agent ResolutionFailures"), before.toString());
        assertEquals("2", before.get("type=Agent ConnectAttempts"), before.toString());
        assertEquals("0", before.get("type=Agent ConnectFailures"), before.toString());
        assertEquals("2", before.get("type=Agent CachedNodes"), before.toString());
        assertEquals("dns-srv", before.get("type=Agent Resolvers"), before.toString());
        assertEquals("2", before.get("type=Resolver,name=dns-srv Calls"), before.toString());
        assertEquals("1", before.get("type=Resolver,name=dns-srv Answers"), before.toString());
        assertEquals("1", before.get("type=Resolver,name=dns-srv NotFound"), before.toString());
        // dns-srv's own figures, in the same MBean
        assertEquals("2", before.get("type=Resolver,name=dns-srv Questions"), "SRV, SRV: " + before);
        assertEquals("1", before.get("type=Resolver,name=dns-srv NoErrorAnswers"), before.toString());
        assertEquals("1", before.get("type=Resolver,name=dns-srv NxDomainAnswers"), before.toString());
        assertEquals("0", before.get("type=Resolver,name=dns-srv TcpFallbacks"), before.toString());
        assertEquals("[]", before.get("type=Resolver,name=dns-srv ServerTimeouts"), before.toString());

        assertTrue(app.stdoutLines().stream().anyMatch(l -> l.startsWith("JMX-CACHE " + ERL + "  answer from dns-srv"
                + " (SRV erl.svc.test via " + dns.address() + "), age ")), app.describe());
        assertTrue(app.stdoutLines().stream().anyMatch(l -> l.startsWith("JMX-CACHE " + GHOST + "  no such node")),
                app.describe());

        Map<String, String> after = Steps.jmx(app.stdoutLines());
        assertEquals("1", after.get("type=Agent Invalidations"), after.toString());
        assertEquals("3", after.get("type=Agent CacheMisses"), "asked again after the invalidation: " + after);
        assertEquals(2, dns.queries("erl.svc.test", "SRV"), dns.queryLog().toString());
        assertAgentSilent(app);
    }

    @Test
    void flightRecorderShowsEveryResolutionAndConnectAttempt() {
        DnsServer dns = dnsWithErlangNode(ERL);
        FlightRecording recording = FlightRecording.create();
        JavaApp app = track(recording.of(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + ERL,
                "connect:" + ERL, "connect:" + GHOST)).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.describe());

        List<String> events = recording.events("io.srvepmd.Resolution");
        assertEquals(3, events.size(), events.toString());
        assertTrue(events.get(0).contains("node = \"" + ERL + "\"") && events.get(0).contains("source = \"resolver\"")
                && events.get(0).contains("resolver = \"dns-srv\"") && events.get(0).contains("outcome = \"ok\"")
                && events.get(0).contains("candidates = \"[127.0.0.1:"), events.get(0));
        assertTrue(events.get(1).contains("source = \"cache\""), events.get(1));
        assertTrue(events.get(2).contains("node = \"" + GHOST + "\"") && events.get(2).contains("NXDOMAIN"),
                events.get(2));
        assertTrue(events.get(0).contains("duration = "), events.get(0));

        List<String> connects = recording.events("io.srvepmd.Connect");
        assertEquals(2, connects.size(), connects.toString());
        assertTrue(connects.get(0).contains("node = \"" + ERL + "\"") && connects.get(0).contains("attempt = 1")
                && connects.get(0).contains("endpoint = \"127.0.0.1:"), connects.toString());
    }

    @Test
    void debugLinesThroughJavaUtilLogging() throws IOException {
        DnsServer dns = dnsWithErlangNode(ERL);
        Path config = ItEnv.newDir("jul").resolve("logging.properties");
        Files.writeString(config, "handlers=java.util.logging.ConsoleHandler\n"
                + "java.util.logging.ConsoleHandler.level=ALL\n"
                + "java.util.logging.SimpleFormatter.format=%4$s %5$s%n\n"
                + "io.srvepmd.agent.level=FINE\n");
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + ERL, "connect:" + GHOST)
                .property("java.util.logging.config.file", config.toString()).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.describe());
        List<String> lines = app.stderr().lines().collect(Collectors.toList());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FINE srv-epmd: resolved " + ERL + " from resolver: SRV"
                + " erl.svc.test via " + dns.address())), app.describe());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FINE srv-epmd: cannot resolve " + GHOST + " (resolver):")
                && l.contains("NXDOMAIN")), app.describe());
    }

    @Test
    void failedConnectAttemptsAreDebugLinesThroughAnSlf4jLogbackHost() throws IOException {
        int dead = io.srvepmd.it.support.FreePorts.tcp();
        int erlPort = io.srvepmd.it.support.FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").domain("node.test")
                .srv("erl.svc.test", "dead.node.test", dead, 0, 0).srv("erl.svc.test", "erl.svc.test", erlPort, 1, 0)
                .host("dead.node.test", "127.0.0.1").host("erl.svc.test", "127.0.0.1").start());
        track(io.srvepmd.it.support.ErlangNode.start(ERL, COOKIE, dns, erlPort));
        Path dir = ItEnv.newDir("logback");
        Files.writeString(dir.resolve("logback.xml"), "<configuration>\n"
                + "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
                + "    <target>System.err</target>\n"
                + "    <encoder><pattern>LOGBACK %level %logger %msg%n</pattern></encoder>\n"
                + "  </appender>\n"
                + "  <logger name=\"io.srvepmd.agent\" level=\"DEBUG\"/>\n"
                + "  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>\n"
                + "</configuration>\n");
        String[] jars;
        try (var files = Files.list(ItEnv.logbackHost())) {
            jars = files.map(Path::toString).sorted().toArray(String[]::new);
        }
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + ERL).hostJars(jars)
                .property("logback.configurationFile", dir.resolve("logback.xml").toString()).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.describe());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(1)).ok, app.describe());
        List<String> lines = app.stderr().lines().collect(Collectors.toList());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("LOGBACK DEBUG io.srvepmd.agent srv-epmd: connect attempt 1"
                + " to " + ERL + " at 127.0.0.1:" + dead + " failed after ")), app.describe());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("LOGBACK DEBUG io.srvepmd.agent srv-epmd: resolved "
                + ERL + " from resolver")), app.describe());
    }
}
