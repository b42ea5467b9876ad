package io.srvepmd.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * NXDOMAIN; nothing is ever forwarded anywhere. With
 * {@link #authoritative(String, int)} it answers a zone as its authoritative
 * server does (SOA in negative answers, one TTL), the way Consul or CoreDNS
 * sits behind a caching resolver.
 */
public final class DnsServer implements AutoCloseable, Nameserver {

    private static final Pattern QUERY = Pattern.compile(".*\\b(?:query|auth)\\[([A-Z0-9]+)\\] (\\S+) from .*");

    private final Path dir;
    private final Path conf;
    private final Path log;
    private final Set<String> domains = new LinkedHashSet<>();
    private final List<String> records = new ArrayList<>();
    private final DnsProcess server;

    private DnsServer(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("dnsmasq.conf");
        this.log = dir.resolve("dnsmasq.log");
        this.server = new DnsProcess(FreePorts.loopback(), log);
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

    /**
     * Answers {@code zone} authoritatively ({@code --auth-zone}): every answer with TTL {@code ttl}
     * seconds, and NXDOMAIN and NODATA answers with the zone's SOA, whose TTL and minimum are
     * {@code ttl} too, so {@code ttl} is also how long a resolver may cache a negative answer (RFC 2308).
     * No additional section: a caching resolver in front asks the target's addresses itself.
     */
    public DnsServer authoritative(String zone, int ttl) {
        records.add("auth-zone=" + zone);
        records.add("auth-server=ns." + zone + ",127.0.0.1");
        records.add("auth-soa=1,hostmaster." + zone + ",1200,120,1209600");
        records.add("auth-ttl=" + ttl);
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
        server.kill();
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

    /** Drops the records whose conf line names {@code name} (zone settings stay); then {@link #restart()}. */
    public DnsServer removeRecords(String name) {
        records.removeIf(r -> !r.startsWith("auth-") && r.contains("=" + name + ","));
        return this;
    }

    /** {@code alive@host} -> {@code alive.host}. */
    public static String srvName(String nodeName) {
        return nodeName.replace('@', '.');
    }

    /** Starts dnsmasq on a free port and waits until it answers a query. */
    public DnsServer start() {
        server.start(this::launch);
        return this;
    }

    /** Stops and starts dnsmasq on the same port with the current records. */
    public DnsServer restart() {
        server.kill();
        return start();
    }

    /** "127.0.0.1:PORT", the form {@code dns.servers} takes. */
    @Override
    public String address() {
        requireStarted();
        return "127.0.0.1:" + server.port();
    }

    public int port() {
        requireStarted();
        return server.port();
    }

    @Override
    public Path erlangInetrc(Path directory) {
        return Nameserver.writeInetrc(directory, "127.0.0.1", port());
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
        return server.process().pid();
    }

    @Override
    public void close() {
        server.stop();
    }

    private ChildProcess launch(int port) {
        writeConf();
        List<String> command = List.of("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                "--conf-file=" + conf, "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                "--user=root", "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-queries",
                "--log-facility=" + log, "--cache-size=0");
        try {
            return new ChildProcess("dnsmasq", command, ChildProcess.cleanEnvironment(), dir);
        } catch (IOException e) {
            throw new AssertionError("cannot start dnsmasq (is dnsmasq-base installed?): " + e, e);
        }
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
        if (!server.started()) {
            throw new IllegalStateException("DNS server not started");
        }
    }
}
