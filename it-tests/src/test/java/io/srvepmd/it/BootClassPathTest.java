package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's classes load from the bootstrap class path (faster start-up, reachable from
 * every class loader); a renamed agent jar still works, from the system class path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BootClassPathTest extends ItBase {

    private static final String ERL = "erl@svc.test";

    private DnsServer dns;

    @BeforeEach
    void erlangNode() {
        dns = dnsWithErlangNode(ERL);
    }

    @Test
    void agentClassesComeFromTheBootstrapClassPath() {
        List<String> out = run(ItEnv.agentJar());
        assertTrue(out.contains("LOADER boot"), String.join("\n", out));
    }

    @Test
    void aRenamedAgentJarStillWorksFromTheSystemClassPath() throws IOException {
        Path renamed = ItEnv.newDir("renamed").resolve("my-agent-copy.jar");
        Files.copy(ItEnv.agentJar(), renamed);
        List<String> out = run(renamed);
        assertTrue(out.contains("LOADER app"), String.join("\n", out));
    }

    private List<String> run(Path agentJar) {
        JavaApp app = track(javaWithAgent("LoaderMain", JInterface.V1_13_1, dns)
                .agentJar(agentJar)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, ERL)
                .start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        List<String> out = app.stdoutLines();
        assertTrue(out.contains("PING " + ERL + " ok"), app.describe());
        assertEquals("", app.stderr(), app.describe());
        return out;
    }
}
