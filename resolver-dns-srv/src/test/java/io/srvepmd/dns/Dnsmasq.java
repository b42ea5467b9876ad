package io.srvepmd.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for tests: Debian's dnsmasq on a free loopback port (UDP
 * and TCP), authoritative for the domains given with {@link Builder#local}.
 * Stopped by {@link #close()} (by its own process handle, never by name).
 */
final class Dnsmasq implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Builder builder() {
        return new Builder();
    }

    /** Collects dnsmasq options; every name is answered from the command line only. */
    static final class Builder {
        private final List<String> options = new ArrayList<>();

        /** Names under {@code domain} that dnsmasq does not know get NXDOMAIN (not REFUSED). */
        Builder local(String domain) {
            return option("--local=/" + domain + "/");
        }

        /** The TTL of every answer (dnsmasq's default for its own records is 0). */
        Builder ttl(int seconds) {
            return option("--local-ttl=" + seconds);
        }

        /** An SRV record; dnsmasq adds the target's host-record addresses to the additional section. */
        Builder srv(String name, String target, int port, int priority, int weight) {
            return option("--srv-host=" + name + "," + target + "," + port + "," + priority + "," + weight);
        }

        /** A and/or AAAA records (pass {@code null} to leave one out). */
        Builder host(String name, String ipv4, String ipv6) {
            StringBuilder b = new StringBuilder("--host-record=").append(name);
            if (ipv4 != null) {
                b.append(',').append(ipv4);
            }
            if (ipv6 != null) {
                b.append(',').append(ipv6);
            }
            return option(b.toString());
        }

        /** An A record that dnsmasq never puts into an additional section: reachable only by asking. */
        Builder address(String name, String ip) {
            return option("--address=/" + name + "/" + ip);
        }

        Builder option(String option) {
            options.add(option);
            return this;
        }

        Dnsmasq start() throws IOException, InterruptedException {
            IOException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                try {
                    return startOnce();
                } catch (IOException e) {
                    last = e; // most likely someone else took the free port meanwhile
                }
            }
            throw last;
        }

        private Dnsmasq startOnce() throws IOException, InterruptedException {
            int port = freePort();
            Path log = Files.createTempFile("dnsmasq", ".log");
            List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--keep-in-foreground", "--no-resolv",
                    "--no-hosts", "--conf-file=/dev/null", "--port=" + port, "--listen-address=127.0.0.1",
                    "--bind-interfaces", "--user=root", "--pid-file="));
            cmd.addAll(options);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Dnsmasq d = new Dnsmasq(p, port, log);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                if (!p.isAlive()) {
                    String out = Files.readString(log, StandardCharsets.UTF_8);
                    Files.deleteIfExists(log);
                    throw new IOException("dnsmasq exited with " + p.exitValue() + ": " + out);
                }
                try (Socket s = new Socket()) {
                    s.connect(d.address(), 200);
                    return d; // it binds UDP before TCP, so both are ready
                } catch (IOException notYet) {
                    Thread.sleep(10);
                }
            }
            d.close();
            throw new IOException("dnsmasq did not listen on port " + port + " within 10 s");
        }
    }

    /** A port that is free for both TCP and UDP on 127.0.0.1 right now. */
    static int freePort() throws IOException {
        InetAddress lo = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, lo)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lo, port))) {
                    return port;
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            }
        }
        throw new IOException("no free port on 127.0.0.1");
    }

    InetSocketAddress address() {
        return new InetSocketAddress(Servers.v4("127.0.0.1"), port);
    }

    /** @return {@code 127.0.0.1:port}, as a {@code dns.servers} value */
    String server() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(log);
    }
}
