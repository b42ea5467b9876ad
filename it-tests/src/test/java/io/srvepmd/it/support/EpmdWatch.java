package io.srvepmd.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches, while tests run, that nothing listens on the epmd port 4369 and
 * that no process named {@code epmd} runs: anywhere on the machine (epmd
 * daemonizes, so it would not stay a descendant of the erl that started it)
 * and among the descendants of the processes the tests started. Reads /proc (Linux). Sampling runs on a daemon
 * thread every 20 ms between {@link #start()} and {@link #stop()}.
 */
public final class EpmdWatch {

    /** The epmd port. */
    public static final int EPMD_PORT = 4369;

    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread thread;
    private int samples;

    /** TCP ports in LISTEN state on any local address (IPv4 and IPv6), from /proc/net/tcp{,6}. */
    public static List<Integer> listeningTcpPorts() {
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Paths.get(table);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ...; st 0A = LISTEN
                    if (f.length > 3 && f[3].equals("0A")) {
                        String local = f[1];
                        ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + table, e);
            }
        }
        return ports;
    }

    /** Whether a TCP socket listens on {@code port} in the network namespace of process {@code pid} (false if gone). */
    public static boolean listeningIn(long pid, int port) {
        for (String table : List.of("tcp", "tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Paths.get("/proc", Long.toString(pid), "net", table));
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[3].equals("0A")
                            && Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16) == port) {
                        return true;
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process exited, or has no such table
            }
        }
        return false;
    }

    /** Whether any socket listens on TCP {@code port}. */
    public static boolean listening(int port) {
        return listeningTcpPorts().contains(port);
    }

    /** The short command name of a process ({@code /proc/PID/comm}), if it still exists. */
    public static Optional<String> comm(ProcessHandle process) {
        try {
            return Optional.of(Files.readString(Paths.get("/proc", Long.toString(process.pid()), "comm")).trim());
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /**
     * Every process on the machine whose name is epmd, but those in another
     * network namespace than the tests' (scripts/bench.sh runs its stock epmd in
     * one of its own): no test's connection can reach their port 4369.
     */
    public static List<Long> epmdProcesses() {
        Optional<Path> ours = netNamespace(ProcessHandle.current().pid());
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            if (comm(p).map(c -> c.toLowerCase(Locale.ROOT).equals("epmd")).orElse(false)
                    && (ours.isEmpty() || ours.equals(netNamespace(p.pid())))) {
                pids.add(p.pid());
            }
        });
        return pids;
    }

    /** The network namespace of a process (the link /proc/PID/ns/net names it), if readable. */
    private static Optional<Path> netNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid), "ns", "net")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Starts sampling. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "epmd-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sampling (after one last sample) and returns what was seen. */
    public synchronized List<String> stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        sample();
        return violations();
    }

    public List<String> violations() {
        return Collections.unmodifiableList(new ArrayList<>(violations));
    }

    public synchronized int samples() {
        return samples;
    }

    private void run() {
        while (running) {
            sample();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        synchronized (this) {
            samples++;
        }
        if (listening(EPMD_PORT)) {
            record("something listens on TCP port " + EPMD_PORT);
        }
        for (long pid : epmdProcesses()) {
            record("a process named epmd runs (pid " + pid + ")");
        }
        for (ChildProcess child : ChildProcess.live()) {
            // A child in another network namespace (NetLab) has its own socket table.
            if (listeningIn(child.pid(), EPMD_PORT)) {
                record("something listens on TCP port " + EPMD_PORT + " in the network namespace of "
                        + child.label() + " (pid " + child.pid() + ")");
            }
            for (ProcessHandle p : child.tree()) {
                if (comm(p).map(c -> c.equalsIgnoreCase("epmd")).orElse(false)) {
                    record("process " + p.pid() + " named epmd runs under " + child.label() + " (pid "
                            + child.pid() + ")");
                }
            }
        }
    }

    private void record(String violation) {
        if (!violations.contains(violation)) {
            violations.add(violation);
        }
    }
}
