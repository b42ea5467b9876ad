package io.srvepmd.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's dnsmasq serving test records on a free 127.0.0.1 port, in the
 * foreground, logging every query to a file in its work directory. Records
 * live in a conf file there; change them and {@link #restart()} (same port).
 * Names under a {@link #domain(String) domain} that have no record get
 * NXDOMAIN; nothing is ever forwarded anywhere.
 */
public final class DnsServer implements AutoCloseable {

    private static final Pattern QUERY = Pattern.compile(".*\\bquery\\[([A-Z0-9]+)\\] (\\S+) from .*");

    private final Path dir;
    private final Path conf;
    private final Path log;
    private final Set<String> domains = new LinkedHashSet<>();
    private final List<String> records = new ArrayList<>();
    private int port;
    private ChildProcess process;

    private DnsServer(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("dnsmasq.conf");
        this.log = dir.resolve("dnsmasq.log");
    }

    /** A server that is not started yet; add records, then {@link #start()}. */
    public static DnsServer create() {
        return new DnsServer(ItEnv.newDir("dns"));
    }

    /** Names under this domain without a record are answered NXDOMAIN (dnsmasq {@code --local}). */
    public DnsServer domain(String domain) {
        domains.add(domain);
        return this;
    }

    /** An SRV record {@code name -> target:port} ({@code --srv-host}). */
    public DnsServer srv(String name, String target, int port, int priority, int weight) {
        records.add("srv-host=" + name + "," + target + "," + port + "," + priority + "," + weight);
        return this;
    }

    /** A/AAAA records ({@code --host-record}): {@code addresses} are IPv4 and/or IPv6 literals. */
    public DnsServer host(String name, String... addresses) {
        records.add("host-record=" + name + "," + String.join(",", addresses));
        return this;
    }

    /**
     * An address for {@code name} that dnsmasq answers only when asked for it
     * ({@code --address=/name/ip}): unlike {@link #host}, it is never added to the
     * additional section of an SRV answer whose target it is.
     */
    public DnsServer addressOnly(String name, String ip) {
        records.add("address=/" + name + "/" + ip);
        return this;
    }

    /** A TXT record ({@code --txt-record}): makes a name exist, e.g. so an A question gets NODATA, not NXDOMAIN. */
    public DnsServer txt(String name, String text) {
        records.add("txt-record=" + name + "," + text);
        return this;
    }

    /** A CNAME {@code alias -> target} ({@code --cname}); not added to SRV answers' additional sections. */
    public DnsServer cname(String alias, String target) {
        records.add("cname=" + alias + "," + target);
        return this;
    }

    /** Stops dnsmasq (by pid) without forgetting its records or its query log; {@link #restart()} brings it back. */
    public DnsServer kill() {
        int keep = port;
        stop();
        port = keep;
        return this;
    }

    /**
     * DynamicSrv.Epmd's record shape for node {@code alive@host}: SRV {@code alive.host} with itself as
     * target, port {@code port}, and A {@code alive.host} = 127.0.0.1.
     */
    public DnsServer node(String nodeName, int port) {
        String name = srvName(nodeName);
        return srv(name, name, port, 0, 0).host(name, "127.0.0.1");
    }

    /** Drops every record (domains stay); call {@link #restart()} to serve the change. */
    public DnsServer clearRecords() {
        records.clear();
        return this;
    }

    /** {@code alive@host} -> {@code alive.host}. */
    public static String srvName(String nodeName) {
        return nodeName.replace('@', '.');
    }

    /** Starts dnsmasq on a free port and waits until it answers a query. */
    public DnsServer start() {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        int fixed = port;
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int candidate = fixed != 0 ? fixed : FreePorts.tcpAndUdp();
            try {
                launch(candidate);
                return this;
            } catch (AssertionError e) {
                last = e;
                stop();
                if (fixed != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    /** Stops and starts dnsmasq on the same port with the current records. */
    public DnsServer restart() {
        int keep = port;
        stop();
        port = keep;
        return start();
    }

    /** "127.0.0.1:PORT", the form {@code dns.servers} takes. */
    public String address() {
        requireStarted();
        return "127.0.0.1:" + port;
    }

    public int port() {
        requireStarted();
        return port;
    }

    /** Writes an ERL_INETRC file that sends every Erlang DNS question to this server. */
    public Path erlangInetrc(Path directory) {
        Path file = directory.resolve("inetrc");
        String text = "{resolv_conf, \"\"}.\n{hosts_file, \"\"}.\n{nameserver, {127,0,0,1}, " + port()
                + "}.\n{lookup, [dns]}.\n";
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** How many queries of {@code type} (e.g. "SRV", "A") for {@code name} dnsmasq has logged. */
    public int queries(String name, String type) {
        int n = 0;
        for (String line : ChildProcess.read(log).split("\n")) {
            Matcher m = QUERY.matcher(line);
            if (m.matches() && m.group(1).equals(type) && m.group(2).equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /** Every query line dnsmasq has logged, for messages. */
    public List<String> queryLog() {
        List<String> out = new ArrayList<>();
        for (String line : ChildProcess.read(log).split("\n")) {
            if (QUERY.matcher(line).matches()) {
                out.add(line);
            }
        }
        return out;
    }

    public Path logFile() {
        return log;
    }

    public long pid() {
        requireStarted();
        return process.pid();
    }

    @Override
    public void close() {
        stop();
    }

    private void launch(int candidate) {
        writeConf();
        List<String> command = List.of("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                "--conf-file=" + conf, "--port=" + candidate, "--listen-address=127.0.0.1", "--bind-interfaces",
                "--user=root", "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-queries",
                "--log-facility=" + log, "--cache-size=0");
        try {
            process = new ChildProcess("dnsmasq", command, ChildProcess.cleanEnvironment(), dir);
        } catch (IOException e) {
            throw new AssertionError("cannot start dnsmasq (is dnsmasq-base installed?): " + e, e);
        }
        port = candidate;
        awaitAnswer(Duration.ofSeconds(10));
    }

    private void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
        port = 0;
    }

    private void writeConf() {
        StringBuilder text = new StringBuilder("# written by io.srvepmd.it.support.DnsServer\n");
        for (String d : domains) {
            text.append("local=/").append(d).append("/\n");
        }
        for (String r : records) {
            text.append(r).append('\n');
        }
        try {
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a real UDP query until dnsmasq answers (any answer code will do). */
    private void awaitAnswer(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] query = query(0x5eed, "readiness.probe.invalid", 1);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(FreePorts.loopback(), 0))) {
            socket.setSoTimeout(100);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("dnsmasq exited at start: " + process.describe() + "\n  log:\n"
                            + ChildProcess.read(log));
                }
                socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(FreePorts.loopback(),
                        port)));
                DatagramPacket reply = new DatagramPacket(new byte[512], 512);
                try {
                    socket.receive(reply);
                    if (reply.getLength() >= 12 && reply.getData()[0] == query[0] && reply.getData()[1] == query[1]) {
                        return;
                    }
                } catch (SocketTimeoutException notYet) {
                    // poll again
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot probe dnsmasq on port " + port + ": " + e, e);
        }
        throw new AssertionError("dnsmasq did not answer within " + timeout + ": " + process.describe());
    }

    /** A minimal DNS query message (RFC 1035 4.1), recursion desired. */
    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id >> 8);
        out.write(id);
        out.write(0x01);
        out.write(0x00);
        out.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.toLowerCase(Locale.ROOT).split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        out.write(type >> 8);
        out.write(type);
        out.write(0);
        out.write(1);
        return out.toByteArray();
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("DNS server not started");
        }
    }
}
