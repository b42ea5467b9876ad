package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.AgentCli;
import io.srvepmd.it.support.EpmdRecorder;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kill switch, {@code enabled=false}, end to end: JInterface in a child JVM
 * started with {@code -javaagent} and switched off behaves exactly as without
 * the agent.
 *
 * <p>The proof, since a real epmd must never run here: stock JInterface finds
 * epmd at the port in {@code ERL_EPMD_PORT}, so each run gets an
 * {@link EpmdRecorder} there. The same program ({@code new OtpNode(...)}) runs
 * without the agent, then with it switched off: both send the same epmd request
 * (publishing the node) and end the same way (epmd does not answer), while the
 * agent switched on sends none and creates the node. The class-loading log of
 * the switched-off run shows the agent loaded nothing but the switch: no hook,
 * transformer, resolver or thread can exist without their classes. Its log
 * holds exactly one line saying so; other settings, even broken ones, are not
 * read.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KillSwitchTest extends ItBase {

    private static final String JAVA = "java@svc.test";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ALIVE2 = "ALIVE2_REQ name=java ";

    /**
     * Every class of the agent jar a switched-off start loads: the entry point (and the exception its
     * catch names), the switch and what reads the one setting (the SPI's boolean grammar and message),
     * and the log.
     */
    private static final Set<String> SWITCH_CLASSES = Set.of(
            "io.srvepmd.agent.Agent",
            "io.srvepmd.agent.ConfigException",
            "io.srvepmd.agent.KillSwitch",
            "io.srvepmd.agent.AgentArguments",
            "io.srvepmd.agent.Settings",
            "io.srvepmd.agent.AgentLog",
            "io.srvepmd.spi.EpmdResolverProvider$Configuration",
            "io.srvepmd.spi.SettingValues");

    /** The three places a setting comes from. */
    enum Source {
        AGENT_ARGUMENT("agent argument enabled=false"),
        SYSTEM_PROPERTY("system property srvepmd.enabled=false"),
        ENVIRONMENT("environment variable SRVEPMD_ENABLED=false");

        final String described;

        Source(String described) {
            this.described = described;
        }

        JavaApp.Builder set(JavaApp.Builder b, String value) {
            switch (this) {
                case AGENT_ARGUMENT:
                    return b.agentArgs("enabled=" + value);
                case SYSTEM_PROPERTY:
                    return b.property("srvepmd.enabled", value);
                default:
                    return b.env("SRVEPMD_ENABLED", value);
            }
        }
    }

    /** One finished child JVM and what reached its epmd port. */
    private static final class Run {
        final JavaApp app;
        final int status;
        final List<String> epmdRequests;

        Run(JavaApp app, int status, List<String> epmdRequests) {
            this.app = app;
            this.status = status;
            this.epmdRequests = epmdRequests;
        }
    }

    @ParameterizedTest(name = "switched off by {0}")
    @EnumSource(Source.class)
    void switchedOffJInterfaceDoesExactlyWhatItDoesWithoutTheAgent(Source source) throws IOException {
        Run stock = run("stock", JavaApp.builder("NodeMain").withoutAgent());
        Path dir = ItEnv.newDir("kill-switch");
        Run off = run("off", source.set(JavaApp.builder("NodeMain"), "false")
                // settings the agent would refuse (exit 78): switched off, it reads none of them
                .property("srvepmd.dns.timeout", "soon").env("SRVEPMD_NO_SUCH_SETTING", "1")
                .property("java.util.logging.config.file", julToFile(dir).toString())
                .jvmOption("-Xlog:class+load=info:file=" + dir.resolve("classes.txt") + ":none"));

        assertEquals(1, stock.epmdRequests.size(), "stock JInterface publishes the node: " + stock.epmdRequests);
        assertTrue(stock.epmdRequests.get(0).startsWith(ALIVE2), stock.epmdRequests.toString());
        assertEquals(2, stock.status, stock.app.describe());
        assertTrue(stock.app.stdout().contains("Nameserver not responding"), stock.app.describe());

        assertEquals(stock.epmdRequests, off.epmdRequests, "the same epmd requests as stock JInterface");
        assertEquals(stock.status, off.status, off.app.describe());
        assertEquals(stock.app.stdout(), off.app.stdout(), off.app.describe());
        assertEquals(stock.app.stderr(), off.app.stderr(), "nothing on stderr but what stock writes: "
                + off.app.describe());
        assertEquals(List.of("INFO io.srvepmd.agent srv-epmd: switched off by " + source.described + ": the agent"
                + " changes nothing, JInterface runs as it would without it (epmd)"),
                Files.readAllLines(dir.resolve("agent.log")), "the agent's log");
        Set<String> agentClasses = agentClassesLoaded(dir.resolve("classes.txt"));
        assertTrue(agentClasses.contains("io.srvepmd.agent.KillSwitch"), "the class-loading log: " + agentClasses);
        assertTrue(SWITCH_CLASSES.containsAll(agentClasses), "switched off, the agent loaded more than its switch: "
                + agentClasses.stream().filter(c -> !SWITCH_CLASSES.contains(c)).collect(Collectors.toList()));
    }

    /** The control: the same setup with the agent on; it never asks epmd, so the runs above tell them apart. */
    @Test
    void switchedOnTheSameProgramNeverAsksEpmd() {
        int port = FreePorts.tcp();
        Run on = run("on", Source.ENVIRONMENT.set(JavaApp.builder("NodeMain"), "true")
                .agentArgs("dns.servers=127.0.0.1:9").env("ERL_DIST_PORT", Integer.toString(port)));
        assertEquals(0, on.status, on.app.describe());
        assertEquals(List.of("NODE " + JAVA + " PORT " + port), on.app.stdoutLines());
        assertEquals(List.of(), on.epmdRequests);
        assertAgentSilent(on.app);
    }

    /** Without a logging configuration of the host's, java.util.logging writes INFO to stderr: the line is there. */
    @Test
    void byDefaultTheLineGoesWhereJavaUtilLoggingWritesStderr() {
        Run stock = run("stock", JavaApp.builder("NodeMain").withoutAgent());
        Run off = run("off", Source.SYSTEM_PROPERTY.set(JavaApp.builder("NodeMain"), "false"));
        assertEquals(stock.epmdRequests, off.epmdRequests);
        assertEquals(stock.app.stdout(), off.app.stdout(), off.app.describe());
        List<String> records = off.app.stderr().lines().filter(l -> l.startsWith("INFO: "))
                .collect(Collectors.toList());
        assertEquals(List.of("INFO: srv-epmd: switched off by system property srvepmd.enabled=false: the agent changes"
                + " nothing, JInterface runs as it would without it (epmd)"), records, off.app.describe());
        assertEquals(2, off.app.stderr().lines().count(), "one record (date and source, then the message): "
                + off.app.describe());
    }

    @Test
    void aValueOtherThanTrueOrFalseStopsTheJvmWithOneLine() {
        Run bad = run("bad", Source.ENVIRONMENT.set(JavaApp.builder("NodeMain"), "no"));
        assertEquals(78, bad.status, bad.app.describe());
        assertEquals("", bad.app.stdout(), bad.app.describe());
        assertEquals(List.of("srv-epmd: configuration error: environment variable SRVEPMD_ENABLED='no' is not a"
                + " boolean; expected true or false"), bad.app.stderr().lines().collect(Collectors.toList()));
        assertEquals(List.of(), bad.epmdRequests);
    }

    /** {@code attach} reads the switch in the target JVM: refused, and JInterface there stays stock. */
    @Test
    void anAttachToASwitchedOffJvmIsRefusedAndItsJInterfaceStaysStock() throws IOException {
        try (EpmdRecorder epmd = EpmdRecorder.start()) {
            JavaApp.Builder target = JavaApp.builder("AttachMain").withoutAgent().property("srvepmd.enabled", "false")
                    .env("ERL_EPMD_PORT", Integer.toString(epmd.port())).args(COOKIE, "await", "node:" + JAVA);
            if (Runtime.version().feature() >= 21) {
                target.jvmOption("-XX:+EnableDynamicAgentLoading"); // else JDK 21+ warns of the dynamic agent
            }
            JavaApp app = track(target.start());
            app.awaitLine("AWAITING", PATIENCE);
            String pid = Long.toString(app.pid());

            AgentCli attach = AgentCli.run("attach", pid, "dns.servers=127.0.0.1:9");

            assertEquals(1, attach.status, attach.toString());
            assertEquals("srv-epmd: the agent did not start in pid " + pid + ": switched off by system property"
                    + " srvepmd.enabled=false (nothing changed there; fix this and attach again)", attach.stderr.trim());
            app.send("go");
            app.awaitLine("ERROR java.io.IOException: Nameserver not responding .*", PATIENCE);
            assertEquals(0, app.waitFor(PATIENCE), app.describe());
            assertEquals(1, epmd.requests().size(), epmd.requests().toString());
            assertTrue(epmd.requests().get(0).startsWith(ALIVE2), epmd.requests().toString());
        }
    }

    /** {@code NodeMain java@svc.test COOKIE} with its own epmd port, to its end. */
    private Run run(String label, JavaApp.Builder builder) {
        try (EpmdRecorder epmd = EpmdRecorder.start()) {
            JavaApp app = track(builder.label(label).env("ERL_EPMD_PORT", Integer.toString(epmd.port()))
                    .args(JAVA, COOKIE).start());
            int status = app.waitFor(PATIENCE);
            return new Run(app, status, epmd.requests());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A java.util.logging configuration that writes every record to DIR/agent.log, one line each. */
    private static Path julToFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("logging.properties"), "handlers=java.util.logging.FileHandler\n"
                + "java.util.logging.FileHandler.pattern=" + dir.resolve("agent.log") + "\n"
                + "java.util.logging.FileHandler.formatter=java.util.logging.SimpleFormatter\n"
                + "java.util.logging.SimpleFormatter.format=%4$s %3$s %5$s%n\n", StandardCharsets.UTF_8);
    }

    /** The project's classes (the test programs' aside) in a {@code -Xlog:class+load} log. */
    private static Set<String> agentClassesLoaded(Path log) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf(" source: ");
            String name = at > 0 ? line.substring(0, at).trim() : "";
            if (name.startsWith("io.srvepmd.") && !name.startsWith("io.srvepmd.it.")) {
                names.add(name);
            }
        }
        return names;
    }
}
