package io.srvepmd.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A process started by a test: stdout and stderr go to files in its work
 * directory, stdin stays a pipe for commands, and {@link #close()} stops the
 * process and every descendant by pid. Every live child is tracked so the
 * epmd watch can look at their descendants.
 */
public class ChildProcess implements AutoCloseable {

    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

    private final String label;
    private final Process process;
    private final Path dir;
    private final Path stdout;
    private final Path stderr;
    private final List<String> command;
    private final Set<ProcessHandle> seenDescendants = ConcurrentHashMap.newKeySet();

    protected ChildProcess(String label, List<String> command, Map<String, String> env, Path dir)
            throws IOException {
        this.label = label;
        this.dir = dir;
        this.command = List.copyOf(command);
        this.stdout = dir.resolve(label + ".stdout");
        this.stderr = dir.resolve(label + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(env);
        this.process = builder.start();
        LIVE.add(this);
    }

    /** The children started by tests that have not been closed yet. */
    public static Set<ChildProcess> live() {
        return Collections.unmodifiableSet(LIVE);
    }

    /** A copy of this JVM's environment without the variables that steer the agent or Erlang. */
    public static Map<String, String> cleanEnvironment() {
        return System.getenv().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("SRVEPMD_"))
                .filter(e -> !e.getKey().startsWith("ERL_"))
                .filter(e -> !e.getKey().equals("JAVA_TOOL_OPTIONS") && !e.getKey().equals("JDK_JAVA_OPTIONS")
                        && !e.getKey().equals("_JAVA_OPTIONS"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public long pid() {
        return process.pid();
    }

    public String label() {
        return label;
    }

    public Path dir() {
        return dir;
    }

    public List<String> command() {
        return command;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process and its current descendants (also remembered for {@link #everSeenDescendants()}). */
    public List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        seenDescendants.addAll(all.subList(1, all.size()));
        return all;
    }

    /** Every descendant seen by {@link #tree()} so far. */
    public Set<ProcessHandle> everSeenDescendants() {
        return Collections.unmodifiableSet(seenDescendants);
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    public List<String> stdoutLines() {
        return stdout().lines().collect(Collectors.toList());
    }

    /** Sends one line to the process's stdin. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(label + ": cannot write to stdin (exited? " + describe() + ")", e);
        }
    }

    /** Closes stdin: the fixtures and test programs take this as "stop". */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /**
     * Polls stdout for the first line at or after line {@code from} matching {@code pattern}
     * (the whole line). Fails fast if the process exits without printing it.
     */
    public Matcher awaitLine(int from, Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5;
        while (true) {
            boolean alive = process.isAlive();
            List<String> lines = stdoutLines();
            for (int i = from; i < lines.size(); i++) {
                Matcher m = pattern.matcher(lines.get(i));
                if (m.matches()) {
                    return m;
                }
            }
            if (!alive) {
                throw new AssertionError(label + " exited before printing a line matching " + pattern + ": "
                        + describe());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(label + " printed no line matching " + pattern + " within " + timeout
                        + ": " + describe());
            }
            sleep(pause);
            pause = Math.min(pause * 2, 50);
        }
    }

    public Matcher awaitLine(Pattern pattern, Duration timeout) {
        return awaitLine(0, pattern, timeout);
    }

    public Matcher awaitLine(String regex, Duration timeout) {
        return awaitLine(0, Pattern.compile(regex), timeout);
    }

    /** Waits for the process to exit and returns its status; kills it and fails after {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                String state = describe();
                close();
                throw new AssertionError(label + " did not exit within " + timeout + ": " + state);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** A summary for assertion messages: command, status, stdout and stderr. */
    public String describe() {
        String status = process.isAlive() ? "running" : "exit " + process.exitValue();
        return "\n  command: " + String.join(" ", command) + "\n  pid " + pid() + ", " + status
                + "\n  stdout:\n" + indent(stdout()) + "\n  stderr:\n" + indent(stderr());
    }

    /** Stops the process and its descendants by pid: TERM, then KILL after a grace period. */
    @Override
    public void close() {
        try {
            List<ProcessHandle> all = tree();
            closeStdin();
            for (ProcessHandle h : all) {
                h.destroy();
            }
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(3, TimeUnit.SECONDS);
                } catch (Exception notYet) {
                    h.destroyForcibly();
                }
            }
            // SIGKILL cannot be ignored, but on a starved machine the JVM's process reaper may take a while to
            // collect the exit: wait for it generously (a process that truly survives is still reported).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    // reported below
                }
            }
            if (process.isAlive()) {
                throw new IllegalStateException(label + " (pid " + pid() + ") survived SIGKILL");
            }
        } finally {
            LIVE.remove(this);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String indent(String text) {
        return text.isEmpty() ? "    (empty)" : text.lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
    }
}
