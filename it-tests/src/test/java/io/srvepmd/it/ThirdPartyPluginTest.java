package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.ThirdPartyMaven;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A resolver plug-in written outside this repository works on the first try:
 * {@code examples/kv-file-resolver}, its own Maven project, is built against
 * the SPI by its published coordinates alone (see {@link ThirdPartyMaven}) on
 * the default JDK and on Temurin 25, and an unmodified JInterface program with
 * the agent and that jar reaches a real Erlang node that only the plug-in
 * knows. A jar built the way that fails on JDK 23+ (auto-service on the class
 * path only) is named in the agent's error.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ThirdPartyPluginTest extends ItBase {

    private static final String EXAMPLE = "kv-file-resolver";
    private static final String JAR = "target/kv-file-resolver-1.0.0.jar";
    private static final String SERVICES = "META-INF/services/io.srvepmd.spi.EpmdResolverProvider";
    private static final String PROVIDER = "com.example.kvfile.KvFileResolverProvider";
    private static final String ERL = "erl@svc.test";

    @Test
    void theSpiIsPublishedWithAPomThatNeedsNothingElseAndWithSourcesAndJavadoc() throws IOException {
        Path dir = ThirdPartyMaven.withPublishedRelease().publishedVersion("srv-epmd-spi");
        List<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        Path pom = dir.resolve(only(files, ".pom"));
        String text = Files.readString(pom);
        assertTrue(text.contains("<artifactId>srv-epmd-spi</artifactId>"), text);
        for (String absent : List.of("<parent>", "<dependencyManagement>", "<dependencies>", "<build>", "${")) {
            assertFalse(text.contains(absent), "the published pom has " + absent + ":\n" + text);
        }
        try (JarFile javadoc = new JarFile(dir.resolve(only(files, "-javadoc.jar")).toFile());
             JarFile sources = new JarFile(dir.resolve(only(files, "-sources.jar")).toFile())) {
            assertTrue(javadoc.getEntry("io/srvepmd/spi/EpmdResolverProvider.html") != null, "javadoc: " + files);
            assertTrue(sources.getEntry("io/srvepmd/spi/EpmdResolverProvider.java") != null, "sources: " + files);
        }
    }

    @Test
    void theAgentsPublishedPomNamesNoDependency() throws IOException {
        // What install and deploy publish for the shaded jar (flatten-maven-plugin's output, agent/target).
        String text = Files.readString(ItEnv.root().resolve("agent/target/.flattened-pom.xml"));
        assertTrue(text.contains("<artifactId>srv-epmd-agent</artifactId>"), text);
        for (String absent : List.of("<parent>", "<dependencies>", "<dependencyManagement>")) {
            assertFalse(text.contains(absent), "the agent's published pom has " + absent + ":\n" + text);
        }
    }

    @ParameterizedTest(name = "built on {0}")
    @ValueSource(strings = {"the default JDK", "Temurin 25"})
    void theExampleBuiltByCoordinatesResolvesARealErlangNode(String jdkName) throws IOException {
        Path jdk = jdk(jdkName);
        ThirdPartyMaven maven = ThirdPartyMaven.withPublishedRelease();
        String label = jdkName.equals("Temurin 25") ? "jdk25" : "default-jdk";
        Path project = ThirdPartyMaven.copyExample(EXAMPLE, label);

        ThirdPartyMaven.Build build = maven.build(label, jdk, project.resolve("pom.xml"), "package");
        build.assertSucceeded();
        assertTrue(Files.exists(project.resolve("target/surefire-reports/TEST-com.example.kvfile.KvFileResolverTest.xml")),
                "the example's own tests ran: " + build.output);
        try (Stream<Path> ours = Files.list(maven.localRepository().resolve("io/srvepmd"))) {
            assertEquals(List.of("srv-epmd-spi"), ours.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                    "the SPI's coordinates were all the build needed of this project");
        }
        Path jar = project.resolve(JAR);
        assertEquals(PROVIDER, services(jar), "the services entry, written by auto-service on " + jdkName);
        assertEquals(55, majorVersion(jar, "com/example/kvfile/KvFileResolver.class"), "Java 11 class files");
        assertEquals(jdkSpec(jdk), buildJdkSpec(jar), "the JDK Maven built the jar with");

        DnsServer dns = track(DnsServer.create().domain("svc.test").start()); // no record of the Erlang node
        int erlPort = FreePorts.tcp();
        track(ErlangNode.start(ERL, COOKIE, dns, erlPort));
        Path nodes = Files.writeString(ItEnv.newDir("kvfile").resolve("nodes.txt"),
                "# written by the test\n" + ERL + "=127.0.0.1:" + erlPort + "\n");

        JavaApp app = track(JavaApp.builder("NodeMain").label("java-" + label)
                .agentArgs("resolvers=kvfile,dns-srv,dns.servers=" + dns.address())
                .property("srvepmd.kvfile.file", nodes.toString())
                .hostJars(jar.toString())
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, "ping:" + ERL, "echo:" + ERL, "rpc-node:" + ERL, "names").start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        List<String> lines = app.stdoutLines();
        assertTrue(lines.contains("PING " + ERL + " ok"), app.describe());
        assertTrue(lines.contains("ECHO hello FROM " + ERL), app.describe());
        assertTrue(lines.contains("RPC erlang:node() = '" + ERL + "'"), app.describe());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("NAMES ") && l.contains("name erl at port " + erlPort)),
                "the plug-in lists its file: " + app.describe());
        assertEquals(0, dns.queries("erl.svc.test", "SRV"), "kvfile answered, DNS was never asked: " + dns.queryLog());
        assertAgentSilent(app);
    }

    /**
     * The issue's silent failure, and the agent's answer to it. The example's pom
     * with auto-service as a plain {@code provided} dependency and no processor
     * path: on Temurin 25 the build succeeds without a services file; without
     * Temurin 25, the default JDK with {@code -proc:none} builds the same jar.
     * Selecting the plug-in, by a setting or by name, stops the JVM with an
     * error that names the jar and the fix.
     */
    @Test
    void aJarWithoutItsServicesEntryIsNamedInTheAgentsError() throws IOException {
        boolean jdk25 = Files.isExecutable(ItEnv.temurin25().resolve("bin/javac"));
        ThirdPartyMaven maven = ThirdPartyMaven.withPublishedRelease();
        Path project = ThirdPartyMaven.copyExample(EXAMPLE, "no-processor-path");
        Path pom = project.resolve("pom.xml");
        String original = Files.readString(pom);
        String broken = original.replaceAll("(?s)<annotationProcessorPaths>.*?</annotationProcessorPaths>", "")
                .replace("<artifactId>auto-service-annotations</artifactId>", "<artifactId>auto-service</artifactId>");
        assertFalse(broken.contains("<annotationProcessorPaths>") || !original.contains("<annotationProcessorPaths>")
                || broken.contains("<artifactId>auto-service-annotations</artifactId>"),
                "the example's pom changed shape: " + original);
        Files.writeString(pom, broken);

        ThirdPartyMaven.Build build = jdk25
                ? maven.build("no-processor-path", ItEnv.temurin25(), pom, "package", "-DskipTests")
                : maven.build("no-processor-path", ThirdPartyMaven.defaultJdk(), pom, "package", "-DskipTests",
                        "-Dmaven.compiler.proc=none");
        build.assertSucceeded();
        Path jar = project.resolve(JAR);
        assertEquals(null, services(jar), (jdk25 ? "Temurin 25" : "-proc:none") + " wrote no services entry");
        assertEquals(jdkSpec(jdk25 ? ItEnv.temurin25() : ThirdPartyMaven.defaultJdk()), buildJdkSpec(jar));

        String hint = jar + " holds resolver provider " + PROVIDER + " but no " + SERVICES + " entry";
        Path nodes = Files.writeString(ItEnv.newDir("kvfile").resolve("nodes.txt"), "x@svc.test=127.0.0.1:4370\n");
        String byKey = refused(JavaApp.builder("NodeMain").label("unknown-key").agentArgs("resolvers=kvfile")
                .property("srvepmd.kvfile.file", nodes.toString()).hostJars(jar.toString()));
        assertTrue(byKey.contains("unknown setting system property srvepmd.kvfile.file"), byKey);
        assertTrue(byKey.contains(hint), byKey);
        assertTrue(byKey.contains("annotation processor path"), byKey);

        String byName = refused(JavaApp.builder("NodeMain").label("unknown-resolver").agentArgs("resolvers=kvfile")
                .hostJars(jar.toString()));
        assertTrue(byName.contains("setting resolvers names 'kvfile', but no such resolver"), byName);
        assertTrue(byName.contains(hint), byName);
    }

    /** Exit 78 before the program runs, one line on stderr: that line. */
    private String refused(JavaApp.Builder builder) {
        JavaApp app = track(builder.env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE).start());
        assertEquals(78, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertEquals("", app.stdout(), app.describe());
        List<String> lines = app.stderr().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertEquals(1, lines.size(), "one line on stderr: " + app.describe());
        assertTrue(lines.get(0).startsWith("srv-epmd: configuration error: "), app.describe());
        return lines.get(0);
    }

    /** The JDK to build with; Temurin 25, when absent, skips the test and says so. */
    private static Path jdk(String name) {
        if (!name.equals("Temurin 25")) {
            return ThirdPartyMaven.defaultJdk();
        }
        return ItEnv.temurin25OrSkip("ThirdPartyPluginTest on Temurin 25",
                "the example was NOT built and tested on JDK 25");
    }

    private static String only(List<String> files, String suffix) {
        List<String> matching = files.stream().filter(f -> f.endsWith(suffix)).collect(Collectors.toList());
        assertEquals(1, matching.size(), "one *" + suffix + " among " + files);
        return matching.get(0);
    }

    /** The services file's content, trimmed, or null if the jar has none. */
    private static String services(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry e = j.getEntry(SERVICES);
            if (e == null) {
                return null;
            }
            try (InputStream in = j.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
    }

    /** {@code JAVA_VERSION} of the JDK's {@code release} file: 17.0.15 gives 17. */
    private static String jdkSpec(Path jdk) throws IOException {
        for (String line : Files.readAllLines(jdk.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.replaceAll("JAVA_VERSION=\"?(\\d+).*", "$1");
            }
        }
        throw new AssertionError("no JAVA_VERSION in " + jdk.resolve("release"));
    }

    /** Maven's jar plugin writes the building JDK's specification version into the manifest. */
    private static String buildJdkSpec(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest().getMainAttributes().getValue("Build-Jdk-Spec");
        }
    }

    private static int majorVersion(Path jar, String entry) throws IOException {
        try (JarFile j = new JarFile(jar.toFile()); DataInputStream in = new DataInputStream(
                j.getInputStream(j.getEntry(entry)))) {
            in.readInt();
            in.readUnsignedShort();
            return in.readUnsignedShort();
        }
    }
}
