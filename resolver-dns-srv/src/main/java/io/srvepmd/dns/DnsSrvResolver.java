package io.srvepmd.dns;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.HostResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.NodeNotFoundException;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Resolves Erlang nodes through DNS SRV records, the way Consul, Nomad and
 * Kubernetes publish a node's distribution port, and lists the nodes of one
 * service.
 *
 * <p>This resolver answers for every node (it never returns an empty
 * {@link Optional} from {@link #resolve}): it is the default, catch-all
 * resolver, and "this node is not in DNS" is an answer the operator wants to
 * see rather than a silent fall-through. Resolvers that should be asked first
 * go before it in the {@code resolvers} setting.
 *
 * <p>It is also the agent's {@link HostResolver}: the hosts file, then A/AAAA
 * questions to the same servers, for resolvers whose entries name hosts.
 *
 * <p>Created through {@link DnsSrvResolverProvider}; thread-safe.
 */
final class DnsSrvResolver implements EpmdResolver, HostResolver, DnsSrvStatsMXBean {

    /** The TTL of an answer for an IP literal: it cannot change; the agent bounds it with dns.max-ttl. */
    static final Duration LITERAL_TTL = Duration.ofHours(1);

    private final DnsSettings settings;
    private final HostsFile hosts = HostsFile.ofThisJvm();
    /** Created on first use: loading it pulls dnsjava in, which the host's start-up must not wait for. */
    private volatile DnsTransport transport;

    DnsSrvResolver(DnsSettings settings) {
        this.settings = settings;
    }

    /** The transport, created on first use; package-private for tests of its socket counters. */
    DnsTransport transport() {
        DnsTransport t = transport;
        if (t == null) {
            synchronized (this) {
                t = transport;
                if (t == null) {
                    t = new DnsTransport(settings.servers);
                    transport = t;
                }
            }
        }
        return t;
    }

    /**
     * Asks for the SRV records of the node's query name; every usable record
     * becomes one candidate, in the order the server gave them (the agent
     * applies RFC 2782 ordering). A target's addresses come from the answer's
     * additional section, else from A/AAAA questions for the target, else from
     * the A/AAAA records of the query name itself (the shape where SRV and A
     * live at the same name). Records that cannot be used are skipped and
     * named in the resolution's source. The TTL is the smallest TTL among the
     * records used (0 if a record was skipped because a question went
     * unanswered, or a target's address family went unanswered).
     *
     * @throws UnavailableException if no server answered usably in
     *         time, or no record is usable and one of them only because a question
     *         about it went unanswered
     * @throws NodeNotFoundException if the name does not exist, has no SRV record, says the
     *         service is not available (target {@code .}) or no record is usable;
     *         the message names each record and why
     */
    @Override
    public Optional<Resolution> resolve(NodeName node, Duration timeout) throws IOException {
        String qname;
        try {
            qname = settings.query.nameFor(node);
        } catch (IllegalArgumentException e) {
            throw new NodeNotFoundException("node " + node + ": dns.query " + settings.query + " gives "
                    + e.getMessage());
        }
        Name name = absolute(qname, "node " + node);
        String what = "SRV " + qname + " for node " + node;
        Deadline deadline = Deadline.after(timeout);
        DnsTransport.Reply reply = transport().query(name, Type.SRV, deadline, what);
        AnswerRecords srv = srvRecords(reply, name, what);

        AddressLookup lookup = addressLookup(deadline, "for node " + node);
        SrvCandidates candidates = new SrvCandidates(what, reply.from());
        for (Record r : srv.records) {
            // srv.ttl: the smallest TTL of the SRV records and of any CNAME leading to them.
            add(candidates, (SRVRecord) r, srv.ttl, name, reply, lookup);
        }
        return Optional.of(candidates.resolution("SRV " + qname + " via " + reply.from()));
    }

    private AddressLookup addressLookup(Deadline deadline, String forWhat) {
        return new AddressLookup(transport(), settings.family, settings.resolutionDelay, deadline, forWhat);
    }

    /** Resolves within {@code dns.timeout}; the agent calls {@link #resolve(NodeName, Duration)}. */
    @Override
    public Optional<Resolution> resolve(NodeName node) throws IOException {
        return resolve(node, settings.timeout);
    }

    /** Every question this resolver asks is bounded by the deadline it plans against. */
    @Override
    public boolean honoursTimeout() {
        return true;
    }

    /** Turns one SRV record into a candidate, or says why it cannot be one. */
    private void add(SrvCandidates candidates, SRVRecord srv, long srvTtl, Name name, DnsTransport.Reply reply,
            AddressLookup lookup) {
        Name target = srv.getTarget();
        if (target.equals(Name.root)) {
            candidates.notAvailable(srv);
            return;
        }
        if (srv.getPort() == 0) { // before any address question: nothing could make it usable
            candidates.skip(srv, "has port 0, which no node listens on", false);
            return;
        }
        AddressLookup.Addresses addresses = lookup.fromAdditional(reply.message, target);
        try {
            if (addresses.isEmpty()) {
                addresses = lookup.ask(target);
            }
            if (addresses.isEmpty() && !target.equals(name)) {
                addresses = lookup.ask(name);
            }
        } catch (UnavailableException e) {
            candidates.skip(srv, "has no address: " + e.getMessage(), true);
            return;
        }
        if (addresses.isEmpty()) {
            candidates.skip(srv, "has no " + addressTypes() + " record"
                    + (target.equals(name) ? "" : ", nor has " + name.toString(true))
                    + " (asked " + Servers.format(settings.servers) + ")", false);
            return;
        }
        try {
            candidates.add(Candidate.of(addresses.addresses, srv.getPort(), srv.getPriority(), srv.getWeight()),
                    Math.min(srvTtl, addresses.ttl));
            if (addresses.incomplete != null) {
                candidates.incomplete(srv, addresses.incomplete);
            }
        } catch (IllegalArgumentException e) {
            candidates.skip(srv, "is unusable: " + e.getMessage(), false);
        }
    }

    /**
     * Finds a host's addresses: an IP literal as it is; else the hosts file
     * (answered with TTL 0, so the agent reads it again after
     * {@code dns.min-ttl}); else A/AAAA questions, per {@code dns.family}, to the
     * configured servers, with the records' TTL (0 if an address family went
     * unanswered). The name is asked as written, absolute, without resolv.conf's
     * search list.
     *
     * @throws UnavailableException if no server answered usably in time
     * @throws NodeNotFoundException if the host has no address (or does not exist)
     */
    @Override
    public Resolution resolve(String host, int port, Duration timeout) throws IOException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress literal = HostsFile.literal(bare);
        if (literal != null) {
            return Resolution.of(List.of(Candidate.of(literal, port)), LITERAL_TTL, "IP literal " + host);
        }
        List<InetAddress> fromFile = settings.family.order(hosts.lookup(bare));
        if (!fromFile.isEmpty()) {
            return Resolution.of(List.of(Candidate.of(fromFile, port, 0, 0)), Duration.ZERO,
                    "host " + bare + " in the hosts file");
        }
        Name name = absolute(bare, "host");
        AddressLookup.Addresses found = addressLookup(Deadline.after(timeout), "for host " + bare).ask(name);
        if (found.isEmpty()) {
            throw new NodeNotFoundException("host " + bare + " has no " + addressTypes() + " record (asked "
                    + Servers.format(settings.servers) + ")");
        }
        List<Candidate> candidate = List.of(Candidate.of(found.addresses, port, 0, 0));
        String source = addressTypes() + " " + bare + " via " + Servers.format(settings.servers);
        return found.incomplete == null ? Resolution.of(candidate, Duration.ofSeconds(found.ttl), source)
                // Incomplete for a passing reason: let the agent ask again soon (its dns.min-ttl).
                : Resolution.of(candidate, Duration.ZERO, source + "; incomplete: " + found.incomplete);
    }

    /** Resolves a host within {@code dns.timeout}. */
    @Override
    public Resolution resolve(String host, int port) throws IOException {
        return resolve(host, port, settings.timeout);
    }

    /** Lists within {@code dns.timeout}; the agent calls {@link #list(Duration)}. */
    @Override
    public Optional<List<NodeEntry>> list() throws IOException {
        return list(settings.timeout);
    }

    /**
     * Lists the nodes of {@code dns.service}: every SRV target
     * {@code <alive>.<service>} becomes {@code alive@service} with the record's
     * port. Targets outside the service are skipped, as are duplicates.
     *
     * @return empty if {@code dns.service} is not set
     */
    @Override
    public Optional<List<NodeEntry>> list(Duration timeout) throws IOException {
        String service = settings.service;
        if (service == null) {
            return Optional.empty();
        }
        String what = "SRV " + service + " (dns.service listing)";
        Name name = absolute(service, "dns.service");
        DnsTransport.Reply reply = transport().query(name, Type.SRV, Deadline.after(timeout), what);
        if (reply.rcode() == Rcode.NXDOMAIN) {
            throw new IOException(what + ": NXDOMAIN from " + reply.from());
        }
        String suffix = "." + service.toLowerCase(Locale.ROOT);
        Set<NodeEntry> entries = new LinkedHashSet<>();
        for (Record r : AnswerRecords.select(reply.message, name, Type.SRV).records) {
            SRVRecord srv = (SRVRecord) r;
            String target = srv.getTarget().toString(true);
            if (srv.getPort() == 0 || target.length() <= suffix.length()
                    || !target.toLowerCase(Locale.ROOT).endsWith(suffix)) {
                continue;
            }
            try {
                entries.add(NodeEntry.of(NodeName.of(target.substring(0, target.length() - suffix.length()),
                        service), srv.getPort()));
            } catch (IllegalArgumentException notANodeName) {
                // a target that cannot be an Erlang node name (escaped characters): not a node
            }
        }
        return Optional.of(List.copyOf(entries));
    }

    /** @return the SRV records that answer the question; never empty */
    private static AnswerRecords srvRecords(DnsTransport.Reply reply, Name name, String what) throws IOException {
        if (reply.rcode() == Rcode.NXDOMAIN) {
            throw new NodeNotFoundException(what + ": NXDOMAIN from " + reply.from());
        }
        AnswerRecords srv = AnswerRecords.select(reply.message, name, Type.SRV);
        if (srv.isEmpty()) {
            String ignored = srv.ignoredNote();
            throw new NodeNotFoundException(what + ": no SRV record (NOERROR, " + (ignored == null ? "empty answer" : ignored)
                    + ") from " + reply.from());
        }
        return srv;
    }

    private String addressTypes() {
        Family f = settings.family;
        return f.wantsV4() && f.wantsV6() ? "A or AAAA" : f.wantsV4() ? "A" : "AAAA";
    }

    private static Name absolute(String name, String forWhat) throws IOException {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new NodeNotFoundException(forWhat + ": '" + name + "' is not a valid DNS name: " + e.getMessage(),
                    e);
        }
    }

    // ---- figures for JMX: zero until the transport exists (its first question) ----

    private DnsStats stats() {
        DnsTransport t = transport;
        return t == null ? NO_QUESTIONS : t.stats();
    }

    private static final DnsStats NO_QUESTIONS = new DnsStats();

    @Override
    public long getQuestions() {
        return stats().questions.sum();
    }

    @Override
    public long getNoErrorAnswers() {
        return stats().noError.sum();
    }

    @Override
    public long getNxDomainAnswers() {
        return stats().nxDomain.sum();
    }

    @Override
    public long getErrorAnswers() {
        return stats().errorAnswers.sum();
    }

    @Override
    public long getUnansweredQuestions() {
        return stats().unanswered.sum();
    }

    @Override
    public long getTcpFallbacks() {
        return stats().tcpFallbacks.sum();
    }

    @Override
    public long getFailedAttempts() {
        return stats().failedAttempts.sum();
    }

    @Override
    public java.util.Map<String, Long> getServerTimeouts() {
        return stats().timeoutsByServer();
    }

    /** Closes the idle UDP sockets. */
    @Override
    public void close() {
        DnsTransport t = transport;
        if (t != null) {
            t.close();
        }
    }

    /** @return the settings in use, for diagnostics */
    @Override
    public String toString() {
        return settings.toString();
    }
}
