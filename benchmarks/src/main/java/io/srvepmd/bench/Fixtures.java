package io.srvepmd.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real parts a measurement needs, all on 127.0.0.1 free ports, each a child process this JVM
 * started and stops by its own handle (never by name): epmd in the foreground, dnsmasq, Unbound in
 * front of it, and Erlang nodes running the it-tests fixtures (it_node; srv_epmd for the epmd-less one).
 */
public final class Fixtures implements AutoCloseable {

    public static final String JINTERFACE = System.getProperty("bench.jinterface",
            "/usr/lib/erlang/lib/jinterface-1.13.1/priv/OtpErlang.jar");
    public static final String COOKIE = "bench-cookie";
    public static final String DOMAIN = "bench.service.consul";
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public final Path work;
    private final List<Process> processes = new ArrayList<>();
    private final List<OutputStream> stdins = new ArrayList<>();
    private final Map<Integer, Process> dnsmasqs = new ConcurrentHashMap<>();
    private final Map<String, Process> erlangs = new ConcurrentHashMap<>();
    private boolean erlCompiled;

    public Fixtures() throws IOException {
        work = Files.createTempDirectory("srv-epmd-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "bench-fixtures-stop"));
    }

    /** A port free for both TCP and UDP on 127.0.0.1. */
    public static int freePort() throws IOException {
        for (int i = 0; i < 100; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
                port = s.getLocalPort();
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port");
    }

    /** {@code epmd -port N} in the foreground, loopback only. */
    public int epmd() throws IOException, InterruptedException {
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder("epmd", "-port", Integer.toString(port), "-address", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(work.resolve("epmd-" + port + ".log").toFile());
        start(pb);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket(LOOPBACK, port)) {
                return port;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("epmd did not start on port " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * dnsmasq on 127.0.0.1, configured by {@code confLines} (dnsmasq.conf syntax, e.g.
     * {@code srv-host=...}), logging every question to {@code log} when it is not null.
     */
    public int dnsmasq(List<String> confLines, Path log) throws IOException, InterruptedException {
        int port = freePort();
        startDnsmasq(port, confLines, log);
        waitForDns(port);
        return port;
    }

    /**
     * Unbound on 127.0.0.1, the caching resolver a host uses, stub-zoning {@code zone} to the dnsmasq
     * on {@code dnsPort} with minimal responses (as Debian ships it), refusing every other name (so it
     * never asks anything but that dnsmasq), no trust anchor, no remote control.
     */
    public int unbound(String zone, int dnsPort) throws IOException, InterruptedException {
        int port = freePort();
        Path conf = work.resolve("unbound-" + port + ".conf");
        Files.write(conf, List.of("server:", "  interface: 127.0.0.1", "  port: " + port, "  do-ip6: no",
                "  do-daemonize: no", "  username: \"\"", "  chroot: \"\"", "  directory: \"" + work + "\"",
                "  pidfile: \"\"", "  use-syslog: no", "  verbosity: 0", "  num-threads: 1",
                "  module-config: \"iterator\"", "  minimal-responses: yes", "  qname-minimisation: no",
                "  do-not-query-localhost: no", "  local-zone: \".\" refuse", "  local-zone: \"" + zone
                        + ".\" transparent",
                "remote-control:", "  control-enable: no",
                "stub-zone:", "  name: \"" + zone + ".\"", "  stub-addr: 127.0.0.1@" + dnsPort));
        start(new ProcessBuilder("unbound", "-d", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("unbound-" + port + ".out").toFile()));
        waitForDns(port);
        return port;
    }

    private static void waitForDns(int port) throws IOException, InterruptedException {
        // A minimal question (root, type A): any reply means the server is up.
        byte[] q = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress(LOOPBACK, port));
            while (System.nanoTime() < deadline) {
                try {
                    ch.write(ByteBuffer.wrap(q));
                    for (int i = 0; i < 10; i++) {
                        Thread.sleep(10);
                        if (ch.read(ByteBuffer.allocate(512)) > 0) {
                            return;
                        }
                    }
                } catch (IOException notYet) {
                    Thread.sleep(20); // ICMP port unreachable until dnsmasq binds
                }
            }
        }
        throw new IOException("no DNS server answered on port " + port);
    }

    /** Stock Erlang node {@code alive@127.0.0.1} registered in the epmd on {@code epmdPort}. */
    public String erlangWithEpmd(String alive, int epmdPort) throws IOException, InterruptedException {
        String node = alive + "@127.0.0.1";
        erlang(node, Map.of("ERL_EPMD_PORT", Integer.toString(epmdPort)), List.of());
        return node;
    }

    /**
     * Epmd-less Erlang node {@code alive@bench.service.consul} (srv_epmd fixture) listening on
     * {@code distPort}, resolving names through the dnsmasq on {@code dnsPort}.
     */
    public String erlangEpmdLess(String alive, int distPort, int dnsPort) throws IOException, InterruptedException {
        String node = alive + "@" + DOMAIN;
        erlang(node, Map.of("ERL_DIST_PORT", Integer.toString(distPort), "ERL_INETRC", inetrc(dnsPort).toString()),
                List.of("-epmd_module", "srv_epmd"));
        return node;
    }

    /**
     * As {@link #erlangEpmdLess}, with TLS distribution ({@code -proto_dist inet_tls -ssl_dist_optfile
     * optfile}) and a node {@code alive@domain}: the host part a certificate must name.
     */
    public String erlangEpmdLessTls(String alive, String domain, int distPort, int dnsPort, Path optfile)
            throws IOException, InterruptedException {
        String node = alive + "@" + domain;
        erlang(node, Map.of("ERL_DIST_PORT", Integer.toString(distPort), "ERL_INETRC", inetrc(dnsPort).toString()),
                List.of("-epmd_module", "srv_epmd", "-proto_dist", "inet_tls", "-ssl_dist_optfile",
                        optfile.toString()));
        return node;
    }

    /** An inetrc that sends the Erlang resolver's questions to the dnsmasq on {@code dnsPort} only. */
    public Path inetrc(int dnsPort) throws IOException {
        Path inetrc = work.resolve("inetrc-" + dnsPort);
        Files.writeString(inetrc, "{resolv_conf, \"\"}.\n{hosts_file, \"\"}.\n{nameserver, {127,0,0,1}, "
                + dnsPort + "}.\n{lookup, [dns]}.\n");
        return inetrc;
    }

    /** Compiles {@code erl} files into the work directory (on every Erlang node's code path). */
    public void compileErlang(Path... sources) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("erlc", "-o", work.toString()));
        for (Path s : sources) {
            cmd.add(s.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("erlc failed: " + out);
        }
    }

    private void startDnsmasq(int port, List<String> confLines, Path log) throws IOException {
        Path conf = work.resolve("dnsmasq-" + port + ".conf");
        Files.write(conf, confLines);
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv",
                "--no-hosts", "--conf-file=" + conf, "--user=root", "--port=" + port,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--pid-file=", "--cache-size=0"));
        if (log != null) {
            cmd.add("--log-queries");
            cmd.add("--log-facility=" + log);
        }
        dnsmasqs.put(port, start(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("dnsmasq-" + port + ".out").toFile())));
    }

    /** Stops the dnsmasq on {@code port} (a DNS outage: questions to it get ICMP port unreachable). */
    public void stopDnsmasq(int port) throws InterruptedException {
        Process p = dnsmasqs.remove(port);
        if (p != null) {
            p.destroy(); // SIGTERM to this child's pid only
            awaitExit(p);
        }
    }

    /** Starts dnsmasq again on {@code port}, with {@code confLines} (new records, or the same). */
    public void restartDnsmasq(int port, List<String> confLines) throws IOException, InterruptedException {
        stopDnsmasq(port);
        startDnsmasq(port, confLines, null);
        waitForDns(port);
    }

    /** Stops the Erlang node {@code node} started here: it halts at the end of its input. */
    public void stopErlang(String node) throws InterruptedException {
        Process p = erlangs.remove(node);
        if (p != null) {
            try {
                p.getOutputStream().close();
            } catch (IOException ignored) {
                // gone already
            }
            awaitExit(p);
        }
    }

    /** Starts a child process (a JVM under test), stopped with the others at {@link #close}. */
    public Process child(ProcessBuilder pb) throws IOException {
        return start(pb);
    }

    /** Waits for {@code p} to end, then asks it to (SIGTERM to its pid), then forces it. */
    private static void awaitExit(Process p) throws InterruptedException {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroy();
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(3, TimeUnit.SECONDS);
            }
        }
    }

    private void erlang(String node, Map<String, String> env, List<String> extra)
            throws IOException, InterruptedException {
        compileErlang();
        List<String> cmd = new ArrayList<>(List.of("erl", "-noshell", "-name", node, "-setcookie", COOKIE,
                "-start_epmd", "false"));
        cmd.addAll(extra);
        cmd.addAll(List.of("-pa", work.toString(), "-run", "it_node", "main"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = start(pb);
        stdins.add(p.getOutputStream());
        erlangs.put(node, p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("READY")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (IOException ignored) {
                        // node gone
                    }
                }, "erl-drain");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IOException("Erlang node " + node + " did not start:\n" + seen);
    }

    private void compileErlang() throws IOException, InterruptedException {
        if (erlCompiled) {
            return;
        }
        String dir = System.getProperty("bench.fixtures", "it-tests/src/test/erlang");
        Process p = new ProcessBuilder("erlc", "-o", work.toString(), dir + "/srv_epmd.erl", dir + "/it_node.erl")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("erlc failed: " + out);
        }
        erlCompiled = true;
    }

    private synchronized Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    @Override
    public synchronized void close() {
        for (OutputStream in : stdins) {
            try {
                in.close(); // it_node halts at end of input
            } catch (IOException ignored) {
                // gone already
            }
        }
        for (Process p : processes) {
            p.destroy(); // SIGTERM to this child's pid only
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        stdins.clear();
    }
}
