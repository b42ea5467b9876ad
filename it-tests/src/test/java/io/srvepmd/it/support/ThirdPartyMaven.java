package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Maven as a plug-in author outside this repository runs it, with only the
 * SPI's published coordinates to go on.
 *
 * <p>Once per test JVM, the project is released the way a maintainer releases
 * it: {@code mvn -Prelease deploy} of spi, resolver-dns-srv, agent and
 * resolver-static, from a copy of the sources in another folder, into a file
 * repository under {@code target/} (a stand-in for Maven Central), signed with
 * a throwaway GPG key made for the purpose (its public half is kept beside the
 * repository; the private half is deleted right after). Every build here then
 * reads a private local repository that holds no {@code io.srvepmd} artifact
 * when it starts, so a published pom that needs anything else of this project
 * (its parent, say) fails the build. Everything else (plugins, JUnit,
 * auto-service) comes from the machine's own local repository, read as a
 * remote one (no download of what the main build already fetched), then from
 * Maven Central. The private repository stays between runs (under
 * {@code target/}), less its {@code io/srvepmd}.
 */
public final class ThirdPartyMaven {

    /** The modules a release publishes. */
    public static final List<String> PUBLISHED = List.of("spi", "resolver-dns-srv", "agent", "resolver-static");

    /** How long one Maven build may take. */
    public static final Duration PATIENCE = Duration.ofMinutes(4);

    private static ThirdPartyMaven instance;

    private final Path home;
    private final Path published;
    private final Path localRepository;
    private final Path settings;
    private final Path signingKey;
    private final Path source;

    private ThirdPartyMaven(Path home) {
        this.home = home;
        this.published = home.resolve("published");
        this.localRepository = home.resolve("local-repository");
        this.settings = home.resolve("settings.xml");
        this.signingKey = home.resolve("signing-key.asc");
        this.source = home.resolve("srv-epmd-source");
    }

    /** The project released (once per JVM) and the settings every build here uses. */
    public static synchronized ThirdPartyMaven withPublishedRelease() {
        if (instance == null) {
            ThirdPartyMaven m = new ThirdPartyMaven(ItEnv.work().resolve("third-party"));
            m.publishRelease();
            instance = m;
        }
        return instance;
    }

    /** The file repository the release was deployed to. */
    public Path published() {
        return published;
    }

    /** The directory of the one version of {@code io.srvepmd:ARTIFACT} the release published. */
    public Path publishedVersion(String artifact) {
        Path dir = published.resolve("io/srvepmd").resolve(artifact);
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> versions = list.filter(Files::isDirectory).collect(Collectors.toList());
            if (versions.size() != 1) {
                throw new AssertionError("one version of " + artifact + " published in " + dir + ", found " + versions);
            }
            return versions.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The public half of the key that signed the release (ASCII-armoured). */
    public Path signingKey() {
        return signingKey;
    }

    /** The copy of the sources the release was built from (another folder than the main build's). */
    public Path releaseSource() {
        return source;
    }

    /** The builds' own local repository. */
    public Path localRepository() {
        return localRepository;
    }

    private void publishRelease() {
        deleteTree(published);
        deleteTree(localRepository.resolve("io/srvepmd"));
        deleteTree(source);
        try {
            Files.createDirectories(localRepository);
            Files.writeString(settings, settingsXml());
            for (String file : List.of("pom.xml", "LICENSE", "NOTICE", "it-tests/pom.xml")) {
                Files.createDirectories(source.resolve(file).getParent());
                Files.copy(ItEnv.root().resolve(file), source.resolve(file));
            }
            for (String module : List.of("build-tools", "spi", "resolver-dns-srv", "agent", "resolver-static")) {
                Files.createDirectories(source.resolve(module));
                Files.copy(ItEnv.root().resolve(module).resolve("pom.xml"), source.resolve(module).resolve("pom.xml"));
                copyTree(ItEnv.root().resolve(module).resolve("src/main"), source.resolve(module).resolve("src/main"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Gpg gpg = Gpg.withThrowawayKey()) {
            Files.writeString(signingKey, gpg.exportPublicKey());
            Build deploy = build("publish-release", defaultJdk(), source.resolve("pom.xml"),
                    Map.of("GNUPGHOME", gpg.home().toString()), "-Prelease", "deploy",
                    "-pl", String.join(",", PUBLISHED), "-am", "-Dmaven.test.skip=true", "-Dmaven.install.skip=true",
                    "-DaltDeploymentRepository=published::" + published.toUri());
            deploy.assertSucceeded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The deploy leaves snapshot metadata under io/srvepmd: the builds that follow start without it.
        deleteTree(localRepository.resolve("io/srvepmd"));
    }

    /** The JDK running the tests (the default one). */
    public static Path defaultJdk() {
        return Path.of(System.getProperty("java.home"));
    }

    /**
     * {@code mvn -B -ntp -s SETTINGS -f POM ARGS} on the JDK at {@code javaHome}.
     *
     * @param label names the log files
     */
    public Build build(String label, Path javaHome, Path pom, String... args) {
        return build(label, javaHome, pom, Map.of(), args);
    }

    private Build build(String label, Path javaHome, Path pom, Map<String, String> moreEnv, String... args) {
        List<String> command = new ArrayList<>(List.of(ItEnv.mvn().toString(), "-B", "-ntp", "-s", settings.toString(),
                "-f", pom.toString()));
        command.addAll(List.of(args));
        Map<String, String> env = ChildProcess.cleanEnvironment();
        env.remove("MAVEN_ARGS");
        env.put("JAVA_HOME", javaHome.toString());
        // Short builds: Maven's own JIT work dominates; C1 alone starts faster.
        env.put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -Xshare:auto");
        env.putAll(moreEnv);
        Path dir = ItEnv.newDir("mvn-" + label);
        long start = System.nanoTime();
        try (ChildProcess mvn = new ChildProcess("mvn-" + label, command, env, dir)) {
            int status = mvn.waitFor(PATIENCE);
            return new Build(label, status, mvn.stdout() + mvn.stderr(), String.join(" ", command),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
    }

    /** A copy of {@code examples/NAME} (without its {@code target/}) in a fresh work directory. */
    public static Path copyExample(String name, String label) {
        Path copy = ItEnv.newDir("example-" + label).resolve(name);
        copyTree(ItEnv.root().resolve("examples").resolve(name), copy);
        return copy;
    }

    /** One finished Maven run. */
    public static final class Build {
        public final String label;
        public final int status;
        public final String output;
        public final String command;
        public final Duration took;

        Build(String label, int status, String output, String command, Duration took) {
            this.label = label;
            this.status = status;
            this.output = output;
            this.command = command;
            this.took = took;
        }

        public void assertSucceeded() {
            if (status != 0) {
                throw new AssertionError("mvn " + label + " failed (exit " + status + "): " + command + "\n"
                        + tail(output, 80));
            }
        }

        private static String tail(String text, int lines) {
            List<String> all = text.lines().collect(Collectors.toList());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    private String settingsXml() {
        String machine = ItEnv.machineRepository().toUri().toString();
        return "<settings>\n"
                + "  <localRepository>" + localRepository + "</localRepository>\n"
                + "  <profiles><profile><id>third-party</id>\n"
                + "    <repositories>\n"
                + "      <repository><id>machine-cache</id><url>" + machine + "</url>\n"
                + "        <releases><checksumPolicy>ignore</checksumPolicy></releases>\n"
                + "        <snapshots><enabled>false</enabled></snapshots></repository>\n"
                + "      <repository><id>published</id><url>" + published.toUri() + "</url>\n"
                + "        <releases><enabled>false</enabled></releases>\n"
                + "        <snapshots><updatePolicy>always</updatePolicy></snapshots></repository>\n"
                + "    </repositories>\n"
                + "    <pluginRepositories>\n"
                + "      <pluginRepository><id>machine-cache</id><url>" + machine + "</url>\n"
                + "        <releases><checksumPolicy>ignore</checksumPolicy></releases>\n"
                + "        <snapshots><enabled>false</enabled></snapshots></pluginRepository>\n"
                + "    </pluginRepositories>\n"
                + "  </profile></profiles>\n"
                + "  <activeProfiles><activeProfile>third-party</activeProfile></activeProfiles>\n"
                + "</settings>\n";
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.collect(Collectors.toList())) {
                Path rel = from.relativize(f);
                if (rel.getNameCount() > 0 && rel.getName(0).toString().equals("target")) {
                    continue;
                }
                Path t = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
