package io.srvepmd.dns;

import static io.srvepmd.dns.Replies.a;
import static io.srvepmd.dns.Replies.name;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Writes the starting inputs of {@link DnsReplyFuzzTest}: the replies real servers
 * give, encoded with dnsjava. dnsmasq ({@code --srv-host}, {@code --host-record}:
 * authoritative, TTL 0, the target's A record in the additional section);
 * Consul (targets named {@code <hex>.addr.<dc>.consul}, an A and a TXT record
 * in the additional section, TTL 0); Unbound as a recursive resolver (the
 * CNAME chain followed, EDNS, TTLs counting down); NXDOMAIN and NODATA with
 * the zone's SOA; SERVFAIL without the question; a truncated reply, then the
 * full one over TCP.
 *
 * <p>Run from the module, after {@code mvn -pl spi,resolver-dns-srv test-compile}:
 * {@code java -cp target/test-classes:target/classes:../spi/target/classes:<dnsjava jar>:<slf4j-api jar>
 * io.srvepmd.dns.DnsReplyStartingInputs src/test/resources/io/srvepmd/dns/DnsReplyFuzzTestInputs}.
 */
final class DnsReplyStartingInputs {

    private static final String TARGET = "n0.svc.consul";

    private DnsReplyStartingInputs() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        write(dir.resolve("answerToSrvQuestion"), single());
        write(dir.resolve("resolveNode"), resolve());
        write(dir.resolve("listService"), list());
    }

    private static Map<String, byte[]> single() {
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("dnsmasq-srv-host", dnsmasq().toWire());
        inputs.put("consul-srv", consul().toWire());
        inputs.put("unbound-cname-chain", unboundChain().toWire());
        inputs.put("nxdomain-with-soa", negative(srvQuestion(), Rcode.NXDOMAIN).toWire());
        inputs.put("nodata-with-soa", negative(srvQuestion(), Rcode.NOERROR).toWire());
        inputs.put("servfail-without-question", servfail().toWire());
        inputs.put("truncated", truncated().toWire());
        inputs.put("target-root", targetRoot().toWire());
        inputs.put("forged-other-owner", forgedOwner().toWire());
        inputs.put("ttl-2-to-the-31", Replies.patchTtl(srv(reply(srvQuestion()), TARGET, Replies.TTL_MARKER, 10, 5,
                4370, TARGET).toWire(), 1L << 31));
        return inputs;
    }

    private static Map<String, byte[]> resolve() {
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("dnsmasq-any", frames(0, dnsmasq()));
        inputs.put("consul-ipv4", frames(1, consul()));
        Message noAdditional = srv(reply(srvQuestion()), TARGET, 30, 0, 0, 4370, "n0-host.svc.consul");
        inputs.put("follow-up-a-and-aaaa", frames(0, noAdditional,
                a(reply(question("n0-host.svc.consul", Type.A)), Section.ANSWER, "n0-host.svc.consul", 30, "10.0.0.7"),
                aaaa(reply(question("n0-host.svc.consul", Type.AAAA)), Section.ANSWER, "n0-host.svc.consul", 30,
                        "fd00::7")));
        inputs.put("unbound-cname-ipv6-first", frames(3, unboundChain()));
        inputs.put("truncated-then-tcp", frames(0, truncated(), dnsmasq()));
        inputs.put("servfail-then-answer", frames(0, servfail(), dnsmasq()));
        inputs.put("nxdomain", frames(0, negative(srvQuestion(), Rcode.NXDOMAIN)));
        Message two = srv(srv(reply(srvQuestion()), TARGET, 60, 10, 60, 4370, "a.svc.consul"), TARGET, 60, 20, 40, 4371,
                "b.svc.consul");
        a(two, Section.ADDITIONAL, "a.svc.consul", 60, "10.0.0.1");
        inputs.put("two-targets-one-unanswered", frames(2, two,
                aaaa(reply(question("b.svc.consul", Type.AAAA)), Section.ANSWER, "b.svc.consul", 60, "fd00::2")));
        return inputs;
    }

    private static Map<String, byte[]> list() {
        Message q = question("svc.consul", Type.SRV);
        Message listing = srv(srv(srv(srv(reply(q), "svc.consul", 0, 1, 1, 4370, "n0.svc.consul"), "svc.consul", 0, 1, 1,
                4371, "N1.SVC.consul"), "svc.consul", 0, 1, 1, 4372, "db.example.com"), "svc.consul", 0, 1, 1, 0,
                "n3.svc.consul");
        a(listing, Section.ADDITIONAL, "n0.svc.consul", 0, "10.0.0.1");
        Message chain = reply(q);
        chain.addRecord(new CNAMERecord(name("svc.consul"), DClass.IN, 30, name("svc.internal")), Section.ANSWER);
        srv(chain, "svc.internal", 30, 0, 0, 4370, "n0.svc.consul");
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("consul-service", frames(0, listing));
        inputs.put("cname-to-service", frames(0, chain));
        inputs.put("nxdomain", frames(0, negative(q, Rcode.NXDOMAIN)));
        return inputs;
    }

    // ---- record shapes

    /** dnsmasq --srv-host=n0.svc.consul,n0.svc.consul,4370 --host-record=n0.svc.consul,127.0.0.1. */
    private static Message dnsmasq() {
        Message m = srv(reply(srvQuestion()), TARGET, 0, 0, 0, 4370, TARGET);
        m.getHeader().setFlag(Flags.AA);
        return a(m, Section.ADDITIONAL, TARGET, 0, "127.0.0.1");
    }

    /** Consul's DNS interface: the target names the address in hex, with a TXT record beside its A record. */
    private static Message consul() {
        String target = "7f000001.addr.dc1.consul";
        Message m = srv(reply(srvQuestion()), TARGET, 0, 1, 1, 4370, target);
        m.getHeader().setFlag(Flags.AA);
        a(m, Section.ADDITIONAL, target, 0, "127.0.0.1");
        m.addRecord(new TXTRecord(name(target), DClass.IN, 0, "consul-network-segment="), Section.ADDITIONAL);
        return m;
    }

    /** Unbound forwarding: the CNAME chain followed, EDNS in the reply, TTLs counted down. */
    private static Message unboundChain() {
        Message m = reply(srvQuestion());
        m.getHeader().setFlag(Flags.RA);
        m.addRecord(new CNAMERecord(name(TARGET), DClass.IN, 287, name("n0.pods.cluster.local")), Section.ANSWER);
        srv(m, "n0.pods.cluster.local", 27, 10, 5, 4370, "n0-host.pods.cluster.local");
        a(m, Section.ADDITIONAL, "n0-host.pods.cluster.local", 27, "10.0.0.7");
        aaaa(m, Section.ADDITIONAL, "n0-host.pods.cluster.local", 27, "fd00::7");
        m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        return m;
    }

    private static Message negative(Message question, int rcode) {
        Message m = reply(question);
        m.getHeader().setRcode(rcode);
        m.addRecord(new SOARecord(name("consul"), DClass.IN, 0, name("ns.consul"), name("hostmaster.consul"), 1, 3600,
                600, 86400, 0), Section.AUTHORITY);
        return m;
    }

    /** A server that cannot answer, and leaves the question out. */
    private static Message servfail() {
        Message m = new Message(0);
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(Rcode.SERVFAIL);
        return m;
    }

    private static Message truncated() {
        Message m = reply(srvQuestion());
        m.getHeader().setFlag(Flags.TC);
        return m;
    }

    private static Message targetRoot() {
        return srv(reply(srvQuestion()), TARGET, 0, 0, 0, 0, ".");
    }

    private static Message forgedOwner() {
        Message m = srv(reply(srvQuestion()), "evil.svc.consul", 5, 0, 0, 6666, TARGET);
        return a(m, Section.ADDITIONAL, TARGET, 5, "10.6.6.6");
    }

    // ---- building blocks

    private static Message srvQuestion() {
        return question(TARGET, Type.SRV);
    }

    private static Message question(String name, int type) {
        Message q = new Message(0);
        q.addRecord(Record.newRecord(name(name), type, DClass.IN), Section.QUESTION);
        return q;
    }

    private static Message reply(Message question) {
        return Replies.to(question, Rcode.NOERROR);
    }

    private static Message srv(Message m, String owner, long ttl, int priority, int weight, int port, String target) {
        Name t = target.equals(".") ? Name.root : name(target);
        m.addRecord(new SRVRecord(name(owner), DClass.IN, ttl, priority, weight, port, t), Section.ANSWER);
        return m;
    }

    private static Message aaaa(Message m, int section, String owner, long ttl, String v6) {
        try {
            m.addRecord(new AAAARecord(name(owner), DClass.IN, ttl, InetAddress.getByName("[" + v6 + "]")), section);
        } catch (IOException e) {
            throw new IllegalArgumentException(v6, e);
        }
        return m;
    }

    /** The resolveNode/listService input: the family byte, then each datagram with its two-byte length. */
    private static byte[] frames(int family, Message... replies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(family);
        for (Message m : replies) {
            byte[] wire = m.toWire();
            out.write(wire.length >>> 8);
            out.write(wire.length);
            out.writeBytes(wire);
        }
        return out.toByteArray();
    }

    private static void write(Path dir, Map<String, byte[]> inputs) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
