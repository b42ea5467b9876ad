package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.ProviderJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent closes its resolvers in a JVM shutdown hook, and the JVM waits
 * for every hook before it exits: a plug-in whose {@code close()} never
 * returns must not keep {@code System.exit} from ending the program.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest extends ItBase {

    @Test
    void aResolverWhoseCloseNeverReturnsDoesNotHangTheExit() {
        Path jar = ProviderJars.provider("StuckOnClose", "lab",
                "public String name() { return \"lab\"; }\n"
                + "public EpmdResolver get(Configuration c) { return new EpmdResolver() {\n"
                + "  public java.util.Optional<io.srvepmd.spi.Resolution> resolve(io.srvepmd.spi.NodeName n) {\n"
                + "    return java.util.Optional.empty(); }\n"
                + "  public void close() { System.out.println(\"CLOSING\"); System.out.flush();\n"
                + "    while (true) { try { Thread.sleep(60_000); } catch (InterruptedException e) { } } }\n"
                + "}; }");
        JavaApp app = track(JavaApp.builder("NodeMain").hostJars(jar.toString())
                .agentArgs("resolvers=lab,dns-srv,dns.servers=127.0.0.1:9")
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp())).args("java@svc.test", COOKIE).start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), "the JVM exits: " + app.describe());
        assertTrue(app.stdoutLines().contains("CLOSING"), "the resolver's close was called: " + app.describe());
    }
}
