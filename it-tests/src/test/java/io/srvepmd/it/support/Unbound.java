package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Debian's Unbound as the caching resolver a host really uses, in front of the
 * test's authoritative server: a stub zone for the cluster's zone (as Consul's
 * documentation sets Unbound up), minimal responses (no additional section,
 * so the agent asks a target's addresses itself), TTLs decremented as they age,
 * negative answers cached for the SOA's TTL (RFC 2308).
 *
 * <p>It runs in the foreground from its own config file in its own directory,
 * on a free 127.0.0.1 port (or a given loopback address and port), logging
 * every question and reply there. It can only ever ask the stub zone's server:
 * no root trust anchor, no remote control, no root priming (every name outside
 * the zone is refused: {@code local-zone: "." refuse}), {@code
 * do-not-query-localhost: no} so that it may ask a server on loopback.
 */
public final class Unbound implements AutoCloseable, Nameserver {

    private static final Pattern REPLY = Pattern.compile(
            ".* info: \\S+ (\\S+)\\. ([A-Z0-9]+) IN ([A-Z]+) [0-9.]+ ([01]) \\d+$");

    private final Path dir;
    private final Path conf;
    private final Path log;
    private final String zone;
    private final String upstream;
    private InetAddress listen = FreePorts.loopback();
    private DnsProcess server;

    private Unbound(Path dir, String zone, String upstream) {
        this.dir = dir;
        this.conf = dir.resolve("unbound.conf");
        this.log = dir.resolve("unbound.log");
        this.zone = zone;
        this.upstream = upstream;
        this.server = new DnsProcess(listen, log);
    }

    /**
     * An Unbound, not started yet, that sends the questions of {@code zone} to {@code upstream}
     * ("127.0.0.1:PORT": a {@link DnsServer} or a {@link DnsProxy} in front of one) and refuses all others.
     */
    public static Unbound stub(String zone, Nameserver upstream) {
        return new Unbound(ItEnv.newDir("unbound"), zone, upstream.address());
    }

    /** Listens on {@code address}:{@code port} (say another loopback address on port 53) instead of a free port. */
    public Unbound listenOn(InetAddress address, int port) {
        this.listen = address;
        this.server = new DnsProcess(address, log);
        server.fixPort(port);
        return this;
    }

    /** Starts Unbound (on a free port unless one was given) and waits until it answers a query. */
    public Unbound start() {
        server.start(this::launch);
        return this;
    }

    /** Stops Unbound (by pid): its cache is gone; {@link #start()} brings it back on the same address. */
    public Unbound kill() {
        server.kill();
        return this;
    }

    /** "IP:PORT", the form {@code dns.servers} takes. */
    @Override
    public String address() {
        return listen.getHostAddress() + ":" + server.port();
    }

    @Override
    public Path erlangInetrc(Path directory) {
        return Nameserver.writeInetrc(directory, listen.getHostAddress(), server.port());
    }

    /** What Unbound serves for {@code name} and {@code type} now (one UDP question with EDNS, as a stub asks). */
    public Message ask(String name, int type) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(FreePorts.loopback(), 0))) {
            Message q = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
            q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
            byte[] wire = q.toWire();
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(wire, wire.length, new InetSocketAddress(listen, server.port())));
            DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
            do {
                socket.receive(p);
            } while (p.getLength() < 2 || (((p.getData()[0] & 0xff) << 8) | (p.getData()[1] & 0xff))
                    != q.getHeader().getID());
            return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        } catch (IOException e) {
            throw new AssertionError("no answer from Unbound at " + address() + " to " + type + " " + name + ": " + e
                    + "\n  log:\n" + ChildProcess.read(log), e);
        }
    }

    /** Every reply Unbound logged for {@code name} and {@code type} (such as "SRV"): "NOERROR cache" or "NXDOMAIN". */
    public List<String> replies(String name, String type) {
        List<String> out = new ArrayList<>();
        for (String line : ChildProcess.read(log).split("\n")) {
            Matcher m = REPLY.matcher(line);
            if (m.matches() && m.group(1).equalsIgnoreCase(name) && m.group(2).equals(type)) {
                out.add(m.group(3) + (m.group(4).equals("1") ? " cache" : ""));
            }
        }
        return out;
    }

    /** Unbound's log, for messages. */
    public String log() {
        return ChildProcess.read(log);
    }

    @Override
    public void close() {
        server.stop();
    }

    private ChildProcess launch(int port) {
        writeConf(port);
        try {
            return new ChildProcess("unbound", List.of("unbound", "-d", "-c", conf.toString()),
                    ChildProcess.cleanEnvironment(), dir);
        } catch (IOException e) {
            throw new AssertionError("cannot start unbound (is the unbound package installed?): " + e, e);
        }
    }

    private void writeConf(int port) {
        String text = String.join("\n",
                "# written by io.srvepmd.it.support.Unbound",
                "server:",
                "  interface: " + listen.getHostAddress(),
                "  port: " + port,
                "  do-ip6: no",
                "  do-daemonize: no",
                "  username: \"\"",
                "  chroot: \"\"",
                "  directory: \"" + dir + "\"",
                "  pidfile: \"" + dir.resolve("unbound.pid") + "\"",
                "  use-syslog: no",
                "  logfile: \"" + log + "\"",
                "  verbosity: 1",
                "  log-queries: yes",
                "  log-replies: yes",
                "  num-threads: 1",
                "  access-control: 127.0.0.0/8 allow",
                // No validator: no trust anchor to fetch, nothing asked outside the zone.
                "  module-config: \"iterator\"",
                "  minimal-responses: yes",
                "  qname-minimisation: no",
                "  target-fetch-policy: \"0 0 0 0 0\"",
                "  do-not-query-localhost: no",
                "  outgoing-interface: 127.0.0.1",
                "  local-zone: \".\" refuse",
                "  local-zone: \"" + zone + ".\" transparent",
                "remote-control:",
                "  control-enable: no",
                "stub-zone:",
                "  name: \"" + zone + ".\"",
                "  stub-addr: " + upstream.replace(':', '@'),
                "");
        try {
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
