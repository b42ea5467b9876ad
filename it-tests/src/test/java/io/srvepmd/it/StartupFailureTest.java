package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.ProviderJars;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every start-up failure, not only a configuration error the agent foresaw,
 * ends the JVM before the program runs with the documented one line on stderr
 * and exit status 78. Before, anything else escaping {@code premain} (a value
 * overflowing a conversion, a resolver provider's bug) aborted the JVM with
 * "FATAL ERROR in native method" and exit status 134.
 *
 * <p>The faulty providers are third-party jars built here from source against
 * the SPI (inside the agent jar) and put on the application class path.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StartupFailureTest extends ItBase {

    @Test
    void durationThatOverflowsNanoseconds() {
        String line = refused(JavaApp.builder("NodeMain").agentArgs("dns.max-ttl=999999999h"));
        assertTrue(line.startsWith("srv-epmd: configuration error: "), line);
        assertTrue(line.contains("dns.max-ttl") && line.contains("999999999h"), "names key and value: " + line);
    }

    @Test
    void providerWhoseNameThrows() {
        Path jar = provider("NameThrows", "lab",
                "public String name() { throw new IllegalStateException(\"no name today\"); }");
        // An unknown resolver sends the agent to the class path, where it meets the provider.
        String line = refused(JavaApp.builder("NodeMain").hostJars(jar.toString()).agentArgs("resolvers=lab"));
        assertNamesProvider(line, "lab.NameThrows", "no name today");
    }

    @Test
    void providerWhoseConfigurationKeysThrow() {
        Path jar = provider("KeysThrow", "lab",
                "public String name() { return \"lab\"; }\n"
                + "public java.util.Set<String> configurationKeys() { throw new UnsupportedOperationException(\"keys\"); }");
        String line = refused(JavaApp.builder("NodeMain").hostJars(jar.toString()).agentArgs("resolvers=lab"));
        assertNamesProvider(line, "lab.KeysThrow", "UnsupportedOperationException");
    }

    @Test
    void providerWhoseGetThrowsAnError() {
        Path jar = provider("GetThrows", "lab",
                "public String name() { return \"lab\"; }\n"
                + "public EpmdResolver get(Configuration c) { throw new NoClassDefFoundError(\"lab/Missing\"); }");
        String line = refused(JavaApp.builder("NodeMain").hostJars(jar.toString()).agentArgs("resolvers=lab"));
        assertNamesProvider(line, "lab.GetThrows", "NoClassDefFoundError");
    }

    @Test
    void providerThatCannotBeInstantiated() {
        Path jar = provider("CtorThrows", "lab",
                "public CtorThrows() { throw new IllegalStateException(\"not today\"); }\n"
                + "public String name() { return \"lab\"; }");
        String line = refused(JavaApp.builder("NodeMain").hostJars(jar.toString()).agentArgs("resolvers=lab"));
        assertNamesProvider(line, "lab.CtorThrows", "");
    }

    private static Path provider(String name, String pkg, String members) {
        return ProviderJars.provider(name, pkg, members);
    }

    private static void assertNamesProvider(String line, String providerClass, String cause) {
        assertTrue(line.startsWith("srv-epmd: configuration error: "), line);
        assertTrue(line.contains(providerClass), "names the provider class " + providerClass + ": " + line);
        assertTrue(line.contains(cause), "says what it threw (" + cause + "): " + line);
    }

    /** Exit 78 before the program runs, exactly one line on stderr, no JVM crash: returns the line. */
    private String refused(JavaApp.Builder builder) {
        JavaApp app = track(builder.env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE).start());
        assertEquals(78, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertEquals("", app.stdout(), "the program must not run: " + app.describe());
        List<String> lines = app.stderr().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertEquals(1, lines.size(), "one line on stderr: " + app.describe());
        try (Stream<Path> files = Files.list(app.process().dir())) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("hs_err") || n.startsWith("core")).collect(Collectors.toList()),
                    "no JVM crash report: " + app.describe());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return lines.get(0);
    }
}
