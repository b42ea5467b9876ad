package io.srvepmd.dns;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
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
 * <p>Created through {@link DnsSrvResolverProvider}; thread-safe.
 */
final class DnsSrvResolver implements EpmdResolver {

    private final DnsSettings settings;
    /** Created on first use: loading it pulls dnsjava in, which the host's start-up must not wait for. */
    private volatile DnsTransport transport;

    DnsSrvResolver(DnsSettings settings) {
        this.settings = settings;
    }

    private DnsTransport transport() {
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
     * Asks for the SRV records of the node's query name; every record becomes
     * one candidate, in the order the server gave them (the agent applies
     * RFC 2782 ordering). A target's addresses come from the answer's
     * additional section, else from A/AAAA questions for the target, else from
     * the A/AAAA records of the query name itself (the shape where SRV and A
     * live at the same name). The TTL is the smallest TTL among the records used.
     *
     * @throws io.srvepmd.spi.UnavailableException if no server answered usably in time
     * @throws IOException if the name does not exist, has no SRV record, says the
     *         service is not available (target {@code .}) or a target has no address
     */
    @Override
    public Optional<Resolution> resolve(NodeName node) throws IOException {
        String qname;
        try {
            qname = settings.query.nameFor(node);
        } catch (IllegalArgumentException e) {
            throw new IOException("node " + node + ": dns.query " + settings.query + " gives " + e.getMessage());
        }
        Name name = absolute(qname, "node " + node);
        String what = "SRV " + qname + " for node " + node;
        Deadline deadline = Deadline.after(settings.budget());
        DnsTransport.Reply reply = transport().query(name, Type.SRV, deadline, what);
        List<SRVRecord> records = srvRecords(reply, what);

        AddressLookup lookup = new AddressLookup(transport(), settings.family, deadline, "for node " + node);
        List<Candidate> candidates = new ArrayList<>(records.size());
        long ttl = Long.MAX_VALUE;
        boolean notAvailable = false;
        for (SRVRecord srv : records) {
            Name target = srv.getTarget();
            if (target.equals(Name.root)) {
                notAvailable = true;
                continue;
            }
            AddressLookup.Addresses addresses = lookup.fromAdditional(reply.message, target);
            if (addresses.isEmpty()) {
                addresses = lookup.ask(target);
            }
            if (addresses.isEmpty() && !target.equals(name)) {
                addresses = lookup.ask(name);
            }
            if (addresses.isEmpty()) {
                throw new IOException(what + ": SRV target " + target.toString(true) + " has no "
                        + addressTypes() + " record" + (target.equals(name) ? "" : ", nor has " + qname)
                        + " (asked " + Servers.format(settings.servers) + ")");
            }
            try {
                candidates.add(Candidate.of(addresses.addresses, srv.getPort(), srv.getPriority(),
                        srv.getWeight()));
            } catch (IllegalArgumentException e) {
                throw new IOException(what + ": unusable SRV record '" + srv + "' from " + reply.from()
                        + ": " + e.getMessage());
            }
            ttl = Math.min(ttl, Math.min(srv.getTTL(), addresses.ttl));
        }
        if (candidates.isEmpty() && notAvailable) {
            throw new IOException(what + ": SRV target '.' from " + reply.from()
                    + " says the service is decidedly not available (RFC 2782)");
        }
        return Optional.of(Resolution.of(candidates, Duration.ofSeconds(ttl), "SRV " + qname + " via "
                + reply.from()));
    }

    /**
     * Lists the nodes of {@code dns.service}: every SRV target
     * {@code <alive>.<service>} becomes {@code alive@service} with the record's
     * port. Targets outside the service are skipped, as are duplicates.
     *
     * @return empty if {@code dns.service} is not set
     */
    @Override
    public Optional<List<NodeEntry>> list() throws IOException {
        String service = settings.service;
        if (service == null) {
            return Optional.empty();
        }
        String what = "SRV " + service + " (dns.service listing)";
        Name name = absolute(service, "dns.service");
        DnsTransport.Reply reply = transport().query(name, Type.SRV, Deadline.after(settings.budget()), what);
        if (reply.rcode() == Rcode.NXDOMAIN) {
            throw new IOException(what + ": NXDOMAIN from " + reply.from());
        }
        String suffix = "." + service.toLowerCase(Locale.ROOT);
        Set<NodeEntry> entries = new LinkedHashSet<>();
        for (Record r : reply.message.getSection(Section.ANSWER)) {
            if (!(r instanceof SRVRecord)) {
                continue;
            }
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

    private static List<SRVRecord> srvRecords(DnsTransport.Reply reply, String what) throws IOException {
        if (reply.rcode() == Rcode.NXDOMAIN) {
            throw new IOException(what + ": NXDOMAIN from " + reply.from());
        }
        List<SRVRecord> out = new ArrayList<>();
        Message m = reply.message;
        // Any owner name: the answer may start with a CNAME chain.
        for (Record r : m.getSection(Section.ANSWER)) {
            if (r instanceof SRVRecord) {
                out.add((SRVRecord) r);
            }
        }
        if (out.isEmpty()) {
            throw new IOException(what + ": no SRV record (NOERROR, empty answer) from " + reply.from());
        }
        return out;
    }

    private String addressTypes() {
        Family f = settings.family;
        return f.wantsV4() && f.wantsV6() ? "A or AAAA" : f.wantsV4() ? "A" : "AAAA";
    }

    private static Name absolute(String name, String forWhat) throws IOException {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IOException(forWhat + ": '" + name + "' is not a valid DNS name: " + e.getMessage(), e);
        }
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
