package io.srvepmd.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The paths surefire hands to the integration tests as system properties
 * ({@code it.*}, see it-tests/pom.xml), the per-run work directory, and the
 * Erlang fixtures compiled once per run.
 */
public final class ItEnv {

    private static final AtomicInteger DIRS = new AtomicInteger();
    private static final Map<String, Path> EBIN = new HashMap<>();

    private ItEnv() {
    }

    /** {@code agent/target/srv-epmd-agent.jar}. */
    public static Path agentJar() {
        return path("it.agentJar");
    }

    /** {@code resolver-static/target/srv-epmd-resolver-static-VERSION.jar}. */
    public static Path staticJar() {
        return path("it.staticJar");
    }

    /** Maven Central's JInterface 1.6.1 (cannot handshake with OTP 25). */
    public static Path jinterface161() {
        return JavaApp.JInterface.V1_6_1.jar();
    }

    /** Debian's JInterface 1.13.1 (OTP 25). */
    public static Path jinterface1131() {
        return JavaApp.JInterface.V1_13_1.jar();
    }

    /** The root of OTP {@code major}: {@code it.otp25}, {@code it.otp27} or {@code it.otp29} (see {@link Otp}). */
    static Path otpRoot(String major) {
        return path("it.otp" + major);
    }

    /** The test-classes directory holding {@code io.srvepmd.it.app}. */
    public static Path appClasses() {
        return path("it.appClasses");
    }

    /** {@code src/test/erlang}. */
    public static Path fixtures() {
        return path("it.fixtures");
    }

    /** The repository's root directory (the root pom, {@code spi/}, {@code examples/}). */
    public static Path root() {
        return path("it.root");
    }

    /** The {@code mvn} of the Maven running the tests. */
    public static Path mvn() {
        return path("it.mvn");
    }

    /** The machine's local Maven repository ({@code ~/.m2/repository} or {@code -Dmaven.repo.local}). */
    public static Path machineRepository() {
        return path("it.machineRepository");
    }

    /** Where Temurin 25 is expected ({@code -Dit.temurin25=...}); it may be absent. */
    public static Path temurin25() {
        return path("it.temurin25");
    }

    /**
     * @param test the test that needs it, for the message
     * @param untested what goes untested without it
     * @return Temurin 25's home; when it is absent, skips the test and says so in the build's log
     */
    public static Path temurin25OrSkip(String test, String untested) {
        Path jdk = temurin25();
        if (!java.nio.file.Files.isExecutable(jdk.resolve("bin/javac"))) {
            String why = "Temurin 25 is not installed at " + jdk + " (set -Dit.temurin25=...): " + untested;
            System.err.println("SKIPPED " + test + ": " + why); // in the build's log, too
            org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
        }
        return jdk;
    }

    /** Jars of a host that logs through SLF4J/Logback with the JDK platform-logging bridge. */
    public static Path logbackHost() {
        return path("it.logbackHost");
    }

    /** The Prometheus JMX exporter's Java agent. */
    public static Path prometheusAgent() {
        return path("it.prometheusAgent");
    }

    /** The repository's {@code deploy/} folder (deployment examples). */
    public static Path deploy() {
        return path("it.deploy");
    }

    /** {@code target/it-work}, created on demand. */
    public static Path work() {
        Path work = path("it.work");
        try {
            return Files.createDirectories(work);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + work, e);
        }
    }

    /** A fresh directory under {@link #work()}, named after {@code prefix}. */
    public static Path newDir(String prefix) {
        try {
            return Files.createDirectories(work().resolve(prefix + "-" + ProcessHandle.current().pid() + "-"
                    + DIRS.incrementAndGet()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a work directory", e);
        }
    }

    /** The Erlang fixtures compiled by OTP 25's {@code erlc}, once per JVM. */
    public static Path ebin() {
        return ebin(Otp.otp25());
    }

    /** The Erlang fixtures compiled by {@code otp}'s own {@code erlc}, once per JVM and release. */
    public static synchronized Path ebin(Otp otp) {
        Path done = EBIN.get(otp.major());
        if (done != null) {
            return done;
        }
        Path out = newDir("ebin-" + otp.major());
        List<String> command = new ArrayList<>(List.of(otp.erlc().toString(), "-Werror", "-o", out.toString()));
        try (Stream<Path> files = Files.list(fixtures())) {
            command.addAll(files.filter(p -> p.toString().endsWith(".erl")).map(Path::toString).sorted()
                    .collect(Collectors.toList()));
            Path log = out.resolve("erlc.log");
            Process erlc = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!erlc.waitFor(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
                erlc.destroyForcibly();
                throw new IllegalStateException("erlc did not finish: " + command);
            }
            if (erlc.exitValue() != 0) {
                throw new IllegalStateException("erlc failed: " + command + "\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot compile the Erlang fixtures", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        EBIN.put(otp.major(), out);
        return out;
    }

    static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run the integration tests through Maven (it-tests/pom.xml)");
        }
        return Paths.get(value).toAbsolutePath().normalize();
    }
}
