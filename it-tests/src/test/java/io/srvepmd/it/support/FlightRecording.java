package io.srvepmd.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JDK Flight Recorder file a child JVM wrote ({@code -XX:StartFlightRecording=filename=FILE}, dumped when it
 * exits), read with the JDK's own {@code jfr} tool, as an operator reads it.
 */
public final class FlightRecording {

    private final Path file;

    private FlightRecording(Path file) {
        this.file = file;
    }

    /** A recording in a fresh work directory; {@link #of} makes a JVM write it. */
    public static FlightRecording create() {
        return new FlightRecording(ItEnv.newDir("jfr").resolve("rec.jfr"));
    }

    /**
     * {@code app} recording into this file from its start, written at its exit; the recorder's start-up lines
     * are left out of its stdout (the program's output stays what the test reads).
     */
    public JavaApp.Builder of(JavaApp.Builder app) {
        return app.jvmOption("-XX:StartFlightRecording=filename=" + file).jvmOption("-Xlog:jfr+startup=off");
    }

    /** {@code jfr print --events NAME FILE}: the tool's text for every event of that name. */
    public String print(String event) {
        Path jfr = Paths.get(System.getProperty("java.home"), "bin", "jfr");
        try {
            Process p = new ProcessBuilder(jfr.toString(), "print", "--events", event, file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("jfr print " + event + " " + file + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + jfr, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The events of {@link #print}, each as the tool prints it ({@code io.srvepmd.X { field = value ... }}). */
    public List<String> events(String event) {
        return List.of(print(event).split("\n(?=io\\.srvepmd\\.)")).stream().filter(e -> e.startsWith("io.srvepmd."))
                .collect(Collectors.toList());
    }
}
