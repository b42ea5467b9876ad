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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent with a JDK 25 AOT cache (JEP 483: {@code -XX:AOTMode=record}, then {@code create}, then
 * {@code -XX:AOTCache}), the recipe docs/performance.md gives. A JVM with an AOT cache loads the cached
 * classes of the class path at start-up, some before {@code premain} runs and installs the
 * class-file transformer; JInterface classes among them would stay stock (talking to epmd, which
 * does not run here) unless the agent retransforms them. The ping proves they are hooked; the
 * class-loading log proves the cache was used.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AotCacheTest extends ItBase {

    private static final String ERL = "erl@svc.test";

    @Test
    void aFirstContactWorksFromAnAotCacheMadeWithTheAgent() throws Exception {
        Path jdk = ItEnv.temurin25OrSkip("AotCacheTest", "the AOT cache was NOT tested");
        DnsServer dns = dnsWithErlangNode(ERL);
        Path dir = ItEnv.newDir("aot");
        Path appJar = appJar(dir.resolve("app.jar"));
        Path config = dir.resolve("app.aotconf");
        Path cache = dir.resolve("app.aot");

        JavaApp training = run(dns, jdk, appJar, "-XX:AOTMode=record", "-XX:AOTConfiguration=" + config);
        assertTrue(training.stdoutLines().contains("PING " + ERL + " ok"), training.describe());
        // the agent jar on the boot class path, as Boot-Class-Path puts it at run time
        JavaApp create = run(dns, jdk, appJar, "-XX:AOTMode=create", "-XX:AOTConfiguration=" + config,
                "-XX:AOTCache=" + cache, "-Xbootclasspath/a:" + ItEnv.agentJar());
        assertTrue(Files.size(cache) > 0, create.describe());

        Path log = dir.resolve("classes.txt");
        JavaApp app = run(dns, jdk, appJar, "-XX:AOTCache=" + cache,
                "-Xlog:class+load=info:file=" + log + ":none");
        assertTrue(app.stdoutLines().contains("PING " + ERL + " ok"), app.describe());
        List<String> loaded = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(loaded.stream().anyMatch(l -> l.startsWith("io.srvepmd.agent.Agent source: shared objects file")),
                "the agent's classes did not come from the AOT cache:\n" + String.join("\n", loaded));
    }

    private JavaApp run(DnsServer dns, Path jdk, Path appJar, String... jvmOptions) {
        JavaApp.Builder b = javaWithAgent("LoaderMain", JInterface.V1_13_1, dns).jdk(jdk).appJar(appJar)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, ERL);
        for (String o : jvmOptions) {
            b.jvmOption(o);
        }
        JavaApp app = track(b.start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.describe());
        return app;
    }

    /** The test programs as a jar: an AOT cache takes classes from jars only. */
    private static Path appJar(Path jar) throws IOException {
        Path classes = ItEnv.appClasses();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path f : files) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
