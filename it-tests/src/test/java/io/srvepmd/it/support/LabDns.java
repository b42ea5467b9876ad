package io.srvepmd.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's dnsmasq as the DNS server of a {@link NetLab}: it runs on a lab host
 * ({@code ip netns exec}), listens on that host's address and a fixed port
 * (53 for a cluster DNS, 8600 for Consul), answers only from its records
 * (names under a {@link #domain} without a record get NXDOMAIN, anything else
 * REFUSED: nothing is forwarded), and logs every query with the address that
 * asked. Change the records and {@link #restart()}.
 */
public final class LabDns implements AutoCloseable {

    private static final Pattern QUERY = Pattern.compile(".*\\bquery\\[([A-Z0-9]+)\\] (\\S+) from (\\S+)$");
    private static final Duration START = Duration.ofSeconds(10);

    private final NetLab.Host host;
    private final int port;
    private final Path dir;
    private final Path conf;
    private final Path log;
    private final Set<String> domains = new LinkedHashSet<>();
    private final List<String> records = new ArrayList<>();
    private ChildProcess process;

    private LabDns(NetLab.Host host, int port) {
        this.host = host;
        this.port = port;
        this.dir = ItEnv.newDir("labdns-" + host.name());
        this.conf = dir.resolve("dnsmasq.conf");
        this.log = dir.resolve("dnsmasq.log");
    }

    /** A server for {@code host}:{@code port}, not started yet. */
    public static LabDns on(NetLab.Host host, int port) {
        return new LabDns(host, port);
    }

    /** Names under {@code domain} without a record are answered NXDOMAIN. */
    public LabDns domain(String domain) {
        domains.add(domain);
        return this;
    }

    /** SRV {@code name -> target:port}, priority and weight. */
    public LabDns srv(String name, String target, int targetPort, int priority, int weight) {
        records.add("srv-host=" + name + "," + target + "," + targetPort + "," + priority + "," + weight);
        return this;
    }

    /**
     * A/AAAA {@code name} (dnsmasq {@code host-record}, also answered in the
     * additional section of an SRV answer whose target it is, as Consul does).
     */
    public LabDns host(String name, String... addresses) {
        records.add("host-record=" + name + "," + String.join(",", addresses));
        return this;
    }

    /** Forgets every record (domains stay); {@link #restart()} serves the change. */
    public LabDns clearRecords() {
        records.clear();
        return this;
    }

    /** "ADDRESS:PORT", the form {@code dns.servers} takes. */
    public String address() {
        return host.address() + ":" + port;
    }

    public NetLab.Host labHost() {
        return host;
    }

    /** An ERL_INETRC file in {@code directory} that sends every Erlang DNS question to this server. */
    public Path erlangInetrc(Path directory) {
        return Nameserver.writeInetrc(directory, host.address(), port);
    }

    /** Writes the records and starts dnsmasq; returns once it listens on UDP and TCP. */
    public LabDns start() {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        StringBuilder text = new StringBuilder("# written by io.srvepmd.it.support.LabDns\n");
        domains.forEach(d -> text.append("local=/").append(d).append("/\n"));
        records.forEach(r -> text.append(r).append('\n'));
        try {
            Files.writeString(conf, text);
            process = new ChildProcess("dnsmasq", host.exec(List.of("dnsmasq", "--keep-in-foreground",
                    "--no-resolv", "--no-hosts", "--conf-file=" + conf, "--port=" + port,
                    "--listen-address=" + host.address(), "--bind-interfaces", "--user=root", "--pid-file=",
                    "--log-queries", "--log-facility=" + log, "--cache-size=0")),
                    ChildProcess.cleanEnvironment(), dir);
        } catch (IOException e) {
            throw new AssertionError("cannot start dnsmasq (is dnsmasq-base installed?): " + e, e);
        }
        awaitListening();
        return this;
    }

    /** Stops dnsmasq (by pid) and starts it again with the current records, same address and port. */
    public LabDns restart() {
        stop();
        return start();
    }

    /** How many queries of {@code type} for {@code name} came from {@code from} (an address; null: anyone). */
    public int queries(String name, String type, String from) {
        int n = 0;
        for (String line : ChildProcess.read(log).split("\n")) {
            Matcher m = QUERY.matcher(line);
            if (m.matches() && m.group(1).equals(type) && m.group(2).equalsIgnoreCase(name)
                    && (from == null || m.group(3).equals(from))) {
                n++;
            }
        }
        return n;
    }

    /** Every query line logged, for messages. */
    public List<String> queryLog() {
        List<String> out = new ArrayList<>();
        for (String line : ChildProcess.read(log).split("\n")) {
            Matcher m = QUERY.matcher(line);
            if (m.matches()) {
                out.add(m.group(1) + " " + m.group(2) + " from " + m.group(3));
            }
        }
        return out;
    }

    @Override
    public void close() {
        stop();
    }

    private void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** Polls the namespace's socket tables (/proc/PID/net) until dnsmasq's UDP and TCP sockets are there. */
    private void awaitListening() {
        String want = host.address() + ":" + port;
        long deadline = System.nanoTime() + START.toNanos();
        long pause = 5;
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("dnsmasq exited at start: " + process.describe() + "\n  log:\n"
                        + ChildProcess.read(log));
            }
            if (NetLab.listening(process.pid(), "udp").contains(want)
                    && NetLab.listening(process.pid(), "tcp").contains(want)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("dnsmasq did not listen on " + want + " within " + START + ": "
                        + process.describe());
            }
            ChildProcess.sleep(pause);
            pause = Math.min(pause * 2, 50);
        }
    }
}
