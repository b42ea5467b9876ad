package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Arbitrary datagrams as the DNS server's reply, through the resolver's
 * validation layer: whatever a server (or a forger who got the ID right) sends,
 * the resolver answers only with what the replies say about the names it asked.
 *
 * <ul>
 * <li>{@link #answerToSrvQuestion}: one datagram (its ID set to the question's)
 *     through {@link ReplyCheck}, then {@link AnswerRecords} and
 *     {@link AddressLookup#fromAdditional}, in process. Property: a message is
 *     accepted only if it is a response (QR, opcode QUERY) that repeats the
 *     question (error codes may leave it out), else it is ignored with a
 *     one-line reason; the selected SRV records are exactly the SRV/IN
 *     records of one owner, the question name or a name its CNAME chain (at
 *     most 8 links) reaches, with a TTL no larger than theirs, within
 *     0..2^31-1; additional addresses are exactly those of A/AAAA records owned
 *     by the target itself, IPv4 first, without duplicates.</li>
 * <li>{@link #resolveNode} and {@link #listService}: the whole resolver against
 *     {@link FakeDns} on loopback, which answers each question (UDP or TCP)
 *     with the input's next datagram (its ID set to the question's) and then,
 *     over UDP, a REFUSED that ends an attempt whose datagram was ignored, so
 *     nothing waits for a timeout. Property: the outcome is a resolution or an
 *     {@link IOException} (an {@code UnavailableException} included) whose one
 *     line starts with the question; every candidate's port, priority and
 *     weight are those of an SRV record of the name asked (or its CNAME chain)
 *     in a reply to that question, and its addresses are of the family asked,
 *     in its order, from A/AAAA records of that record's target (or of the
 *     name asked) in replies to those names, or in the SRV reply's additional
 *     section for exactly that target; a listing holds only distinct nodes
 *     {@code alive@service} whose {@code alive.service} is the target of such an
 *     SRV record of the service, with its port.</li>
 * </ul>
 * Input of the last two: a byte that picks {@code dns.family} (any, ipv4, ipv6,
 * ipv6-first), then datagrams, each a two-byte big-endian length and its bytes.
 * Every method is bounded by {@link Timeout}: a hang, not a speed check.
 *
 * <p>Regression inputs and starting inputs (real record shapes, written by
 * {@link DnsReplyStartingInputs}): {@code src/test/resources/io/srvepmd/dns/DnsReplyFuzzTestInputs/}.
 * Fuzz with {@code bash scripts/fuzz.sh DnsReplyFuzzTest 5m}.
 */
class DnsReplyFuzzTest {

    static final NodeName NODE = NodeName.parse("n0@svc.consul");
    static final Name QNAME = Replies.name("n0.svc.consul");
    static final String SERVICE = "svc.consul";
    static final String WHAT = "SRV n0.svc.consul for node n0@svc.consul";
    static final String LISTING = "SRV svc.consul (dns.service listing)";
    /** The ID of the in-process question; the fake server sets each question's own. */
    static final int ID = 0x5eed;
    /** Largest datagram the fake server sends (a UDP payload's limit is 65,507). */
    static final int MAX_DATAGRAM = 65_000;
    /**
     * dns.timeout while fuzzing: the fake server answers every question at once (an ignored datagram
     * is followed by a REFUSED), so this is spent only if the machine stalls, and then the outcome,
     * UnavailableException, is one the property allows; well within each input's 10 s bound.
     */
    static final String FUZZING = "2s";
    /** dns.timeout of the plain test, which needs the answers: a loaded machine must not fail it. */
    static final String SLOW_MACHINE = "30s";

    private static FakeDns dns;
    private static final ArrayDeque<byte[]> script = new ArrayDeque<>();
    /** Each decodable datagram sent, with the question it went to. */
    private static final List<Served> served = new ArrayList<>();

    private static final class Served {
        final Name name;
        final int type;
        final Message reply;

        Served(Message question, Message reply) {
            this.name = question.getQuestion().getName();
            this.type = question.getQuestion().getType();
            this.reply = reply;
        }
    }

    @BeforeAll
    static void startServer() throws IOException {
        dns = new FakeDns(Servers.v4("127.0.0.1"), q -> udp(q), q -> tcp(q));
    }

    @AfterAll
    static void stopServer() throws Exception {
        dns.close();
    }

    // ---- one datagram, in process

    @FuzzTest
    @Timeout(10)
    void answerToSrvQuestion(byte[] datagram) {
        byte[] buf = withId(datagram, ID);
        Record question = Record.newRecord(QNAME, Type.SRV, DClass.IN);
        ReplyCheck check = new ReplyCheck(ID, question);
        Message m = check.accept(buf, buf.length);
        if (m == null) {
            assertNotNull(check.ignored());
            assertOneLine(check.ignored());
            return;
        }
        assertTrue(m.getHeader().getFlag(Flags.QR));
        assertEquals(Opcode.QUERY, m.getHeader().getOpcode());
        List<Record> questions = m.getSection(Section.QUESTION);
        assertTrue(questions.equals(List.of(question))
                || questions.isEmpty() && m.getRcode() != Rcode.NOERROR && m.getRcode() != Rcode.NXDOMAIN,
                "accepted a reply to another question: " + questions);

        AnswerRecords srv = AnswerRecords.select(m, QNAME, Type.SRV);
        assertSelection(m, QNAME, Type.SRV, srv);
        AddressLookup lookup = new AddressLookup(null, Family.ANY, java.time.Duration.ZERO, null, "for node " + NODE);
        for (Record r : srv.records) {
            Name target = ((SRVRecord) r).getTarget();
            assertAdditional(m, target, lookup.fromAdditional(m, target));
        }
    }

    /** The selection holds exactly the records of {@code type} of one owner the chain reaches. */
    static void assertSelection(Message m, Name name, int type, AnswerRecords selected) {
        List<Record> answer = m.getSection(Section.ANSWER);
        if (selected.ignoredNote() != null) {
            assertOneLine(selected.ignoredNote());
        }
        if (selected.isEmpty()) {
            assertTrue(answer.stream().noneMatch(r -> r.getType() == type && r.getDClass() == DClass.IN
                    && r.getName().equals(name)), "records of the name asked were left out");
            assertEquals(Long.MAX_VALUE, selected.ttl);
            return;
        }
        Name owner = selected.records.get(0).getName();
        assertTrue(reachable(answer, name).contains(owner), owner + " is not " + name + " nor reached from it by CNAME");
        List<Record> owned = new ArrayList<>();
        for (Record r : answer) {
            if (r.getType() == type && r.getDClass() == DClass.IN && r.getName().equals(owner)) {
                owned.add(r);
            }
        }
        assertEquals(owned, selected.records, "not every record of " + owner);
        for (Record r : selected.records) {
            long rfc2181 = r.getTTL() >= 1L << 31 ? 0 : r.getTTL(); // RFC 2181 section 8: 2^31 and above mean 0
            assertTrue(selected.ttl <= rfc2181, "TTL " + selected.ttl + " above a record's: " + r);
        }
        assertTrue(selected.ttl >= 0 && selected.ttl <= Integer.MAX_VALUE, "TTL " + selected.ttl);
    }

    /** The names CNAME records of the answer section lead to from {@code name} within 8 links, and the name. */
    static Set<Name> reachable(List<Record> answer, Name name) {
        Set<Name> names = new HashSet<>(List.of(name));
        List<Name> frontier = List.of(name);
        for (int links = 0; links < AnswerRecords.MAX_CNAME_CHAIN && !frontier.isEmpty(); links++) {
            List<Name> next = new ArrayList<>();
            for (Record r : answer) {
                if (r instanceof CNAMERecord && r.getDClass() == DClass.IN && frontier.contains(r.getName())
                        && names.add(((CNAMERecord) r).getTarget())) {
                    next.add(((CNAMERecord) r).getTarget());
                }
            }
            frontier = next;
        }
        return names;
    }

    private static void assertAdditional(Message m, Name target, AddressLookup.Addresses found) {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (Record r : m.getSection(Section.ADDITIONAL)) {
            if (r.getDClass() == DClass.IN && r.getName().equals(target)) {
                if (r instanceof ARecord && !v4.contains(((ARecord) r).getAddress())) {
                    v4.add(((ARecord) r).getAddress());
                } else if (r instanceof AAAARecord && !v6.contains(((AAAARecord) r).getAddress())) {
                    v6.add(((AAAARecord) r).getAddress());
                }
            }
        }
        v4.addAll(v6);
        assertEquals(v4, found.addresses, "additional addresses of " + target);
    }

    // ---- the whole resolver against a fake server

    /** The harness itself: the fake server answers each question with the script's next datagram. */
    @Test
    void startingInputsResolveToWhatTheyName() throws Exception {
        assertEquals(List.of(Candidate.of(List.of(Replies.ip("127.0.0.1")), 4370, 0, 0)),
                resolve(startingInput("resolveNode/dnsmasq-any"), SLOW_MACHINE).candidates());
        assertEquals(List.of(Candidate.of(List.of(Replies.ip("10.0.0.7"), InetAddress.getByName("fd00::7")), 4370, 0, 0)),
                resolve(startingInput("resolveNode/follow-up-a-and-aaaa"), SLOW_MACHINE).candidates());
        assertEquals(List.of(Candidate.of(List.of(Replies.ip("127.0.0.1")), 4370, 0, 0)),
                resolve(startingInput("resolveNode/truncated-then-tcp"), SLOW_MACHINE).candidates(), "the full answer came over TCP");
    }

    private static byte[] startingInput(String name) throws IOException {
        try (java.io.InputStream in = DnsReplyFuzzTest.class.getResourceAsStream("DnsReplyFuzzTestInputs/" + name)) {
            return in.readAllBytes();
        }
    }

    @FuzzTest
    @Timeout(10)
    void resolveNode(byte[] input) throws Exception {
        Family family = Family.values()[input.length == 0 ? 0 : (input[0] & 0xff) % Family.values().length];
        Resolution r;
        try (SilentCloseable allowed = allowOnlyTheFakeServer()) {
            r = resolve(input, FUZZING);
        } catch (IOException e) {
            assertTrue(e.getMessage().startsWith(WHAT + ": "), e.getMessage());
            assertOneLine(e.getMessage());
            return;
        }
        assertOneLine(r.source());
        assertFalse(r.ttl().isNegative());
        assertTrue(r.ttl().compareTo(Duration.ofSeconds(Integer.MAX_VALUE)) <= 0, "TTL " + r.ttl());
        List<SRVRecord> records = srvRecordsServed(QNAME);
        for (Candidate c : r.candidates()) {
            assertTrue(records.stream().anyMatch(s -> s.getPort() == c.port() && s.getPriority() == c.priority()
                    && s.getWeight() == c.weight() && addressesServed(s.getTarget()).containsAll(c.addresses())),
                    "candidate " + c + " is not an SRV record of " + QNAME + " with its target's addresses");
            assertFamily(family, c.addresses());
        }
    }

    private static Resolution resolve(byte[] input, String timeout) throws Exception {
        Family family = load(input);
        try (EpmdResolver resolver = resolver(family, timeout)) {
            return resolver.resolve(NODE).orElseThrow(() -> new AssertionError("dns-srv answers for every node"));
        }
    }

    @FuzzTest
    @Timeout(10)
    void listService(byte[] input) throws Exception {
        Family family = load(input);
        List<NodeEntry> entries;
        try (SilentCloseable allowed = allowOnlyTheFakeServer(); EpmdResolver resolver = resolver(family, FUZZING)) {
            entries = resolver.list().orElseThrow(() -> new AssertionError("dns.service is set"));
        } catch (IOException e) {
            assertTrue(e.getMessage().startsWith(LISTING + ": "), e.getMessage());
            assertOneLine(e.getMessage());
            return;
        }
        assertEquals(entries.size(), new HashSet<>(entries).size(), "duplicates: " + entries);
        List<SRVRecord> records = srvRecordsServed(Replies.name(SERVICE));
        for (NodeEntry e : entries) {
            assertEquals(SERVICE, e.node().host());
            String target = e.node().alive() + "." + SERVICE;
            assertTrue(records.stream().anyMatch(s -> s.getPort() == e.port()
                    && s.getTarget().toString(true).toLowerCase(Locale.ROOT).equals(target.toLowerCase(Locale.ROOT))),
                    e + " is not an SRV record of " + SERVICE);
        }
    }

    private static EpmdResolver resolver(Family family, String timeout) {
        return new DnsSrvResolverProvider().get(TestConfig.of("dns.servers", dns.server(), "dns.timeout", timeout,
                "dns.family", family.setting(), "dns.service", SERVICE));
    }

    /**
     * Jazzer's request-forgery detector refuses every TCP connect unless allowed: allow the fake
     * server's (the detector names 127.0.0.1 by its reverse name, localhost).
     */
    private static SilentCloseable allowOnlyTheFakeServer() {
        int fakePort = Integer.parseInt(dns.server().substring(dns.server().lastIndexOf(':') + 1));
        return BugDetectors.allowNetworkConnections((host, port) -> port == fakePort
                && (host.equals("127.0.0.1") || host.equals("localhost")));
    }

    /** The SRV records (class IN) of {@code name} or its CNAME chain in the replies sent to its SRV question. */
    private static List<SRVRecord> srvRecordsServed(Name name) {
        List<SRVRecord> out = new ArrayList<>();
        synchronized (script) {
            for (Served s : served) {
                if (s.name.equals(name) && s.type == Type.SRV) {
                    List<Record> answer = s.reply.getSection(Section.ANSWER);
                    Set<Name> owners = reachable(answer, name);
                    for (Record r : answer) {
                        if (r instanceof SRVRecord && r.getDClass() == DClass.IN && owners.contains(r.getName())) {
                            out.add((SRVRecord) r);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The addresses the replies gave {@code target} or the node's own SRV name
     * (the resolver's fallback): A/AAAA records of the name or its CNAME chain in
     * replies to its address questions, and those owned by exactly the target in
     * the additional section of replies to the SRV question.
     */
    private static Set<InetAddress> addressesServed(Name target) {
        Set<InetAddress> out = new HashSet<>();
        synchronized (script) {
            for (Served s : served) {
                for (Name name : List.of(target, QNAME)) {
                    if (s.name.equals(name) && (s.type == Type.A || s.type == Type.AAAA)) {
                        List<Record> answer = s.reply.getSection(Section.ANSWER);
                        addAddresses(out, answer, reachable(answer, name));
                    }
                }
                if (s.name.equals(QNAME) && s.type == Type.SRV) {
                    addAddresses(out, s.reply.getSection(Section.ADDITIONAL), Set.of(target));
                }
            }
        }
        return out;
    }

    private static void addAddresses(Set<InetAddress> out, List<Record> records, Set<Name> owners) {
        for (Record r : records) {
            if (r.getDClass() == DClass.IN && owners.contains(r.getName())) {
                if (r instanceof ARecord) {
                    out.add(((ARecord) r).getAddress());
                } else if (r instanceof AAAARecord) {
                    out.add(((AAAARecord) r).getAddress());
                }
            }
        }
    }

    /** Only the family's kinds of address, in its order (IPv6 first only for ipv6-first). */
    private static void assertFamily(Family family, List<InetAddress> addresses) {
        boolean seenOther = false;
        for (InetAddress a : addresses) {
            boolean v4 = a instanceof Inet4Address;
            assertTrue(v4 ? family.wantsV4() : family.wantsV6(), a + " is not of family " + family.setting());
            boolean first = family == Family.IPV6_FIRST ? !v4 : v4;
            assertFalse(first && seenOther, "out of " + family.setting() + " order: " + addresses);
            seenOther |= !first;
        }
    }

    // ---- the fake server's script

    /** Queues the input's datagrams; @return the family its first byte picks */
    private static Family load(byte[] input) {
        synchronized (script) {
            script.clear();
            served.clear();
            int at = 1;
            while (at + 2 <= input.length) {
                int length = ((input[at] & 0xff) << 8) | (input[at + 1] & 0xff);
                int end = Math.min(input.length, at + 2 + Math.min(length, MAX_DATAGRAM));
                script.add(Arrays.copyOfRange(input, at + 2, end));
                at = end;
            }
        }
        return Family.values()[input.length == 0 ? 0 : (input[0] & 0xff) % Family.values().length];
    }

    private static List<byte[]> udp(Message question) {
        byte[] next = next(question);
        return next == null ? List.of(refused(question)) : List.of(next, refused(question));
    }

    private static byte[] tcp(Message question) {
        byte[] next = next(question);
        return next == null ? refused(question) : next;
    }

    private static byte[] next(Message question) {
        synchronized (script) {
            byte[] d = script.poll();
            if (d == null) {
                return null;
            }
            d = withId(d, question.getHeader().getID());
            try {
                served.add(new Served(question, new Message(d)));
            } catch (IOException | RuntimeException undecodable) {
                // sent all the same: the resolver must ignore it
            }
            return d;
        }
    }

    private static byte[] refused(Message question) {
        return Replies.to(question, Rcode.REFUSED).toWire();
    }

    /** The datagram with its first two bytes (the ID) set to {@code id}, if it has them. */
    static byte[] withId(byte[] datagram, int id) {
        byte[] d = datagram.clone();
        if (d.length >= 2) {
            d[0] = (byte) (id >>> 8);
            d[1] = (byte) id;
        }
        return d;
    }

    /** One printable line: what reaches a log or the host's exception must not carry line breaks. */
    static void assertOneLine(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                fail("not one printable line: " + message.replace("\n", "\\n").replace("\r", "\\r"));
            }
        }
    }
}
