package io.srvepmd.staticmap;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.HostResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.NodeNotFoundException;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves nodes from a fixed list of {@code NODE=ADDRESS:PORT} entries (the
 * {@code static.nodes} setting and the {@code static.file}), read once when the
 * agent starts and kept for the life of the JVM.
 *
 * <p><b>Matching.</b> The entries are tried in the order written
 * ({@code static.nodes} first, then the file, top to bottom) and the
 * <em>first</em> entry whose NODE matches wins, so put specific entries before
 * wildcard ones. A node no entry matches is "not mine": {@link #resolve}
 * returns empty and the agent asks the next resolver.
 *
 * <p><b>Addresses and TTLs.</b> An IP literal is answered as written, with a
 * TTL of {@link #LITERAL_TTL one hour}: the entry cannot change while the JVM
 * runs, so the TTL only bounds how long the agent's cache holds it (the agent
 * clamps it with its own maximum). A host name, or the node's own host when
 * the ADDRESS is empty, is looked up with the agent's {@link HostResolver}
 * (the hosts file, then A/AAAA questions to the agent's DNS servers) at each
 * resolution, with the TTL of the records found. Nothing is cached JVM-wide:
 * when a connection fails the agent drops the node's answer, and the next
 * resolution asks DNS again, so a pod that came back at a new address is
 * found at once.
 *
 * <p><b>Listing.</b> {@link #list} returns the exact (wildcard-free) entries;
 * wildcard entries cannot be enumerated. It is empty when no entry is exact.
 *
 * <p>Instances are immutable and thread-safe.
 */
final class StaticResolver implements EpmdResolver {

    /** The TTL of an answer from an IP literal entry. */
    public static final Duration LITERAL_TTL = Duration.ofHours(1);

    /** The timeout of a call without one: the agent's default {@code dns.timeout}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final List<StaticEntry> entries;
    private final HostResolver hosts;
    private final boolean literalsOnly;

    StaticResolver(List<StaticEntry> entries, HostResolver hosts) {
        this.entries = List.copyOf(entries);
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.literalsOnly = allLiteral(this.entries);
    }

    private static boolean allLiteral(List<StaticEntry> entries) {
        for (StaticEntry e : entries) {
            if (e.literal() == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Entries that are all IP literals are answered from memory, at once. An
     * entry naming a host needs the host resolver, which this resolver does
     * not vouch for: the agent then bounds the call itself.
     */
    @Override
    public boolean honoursTimeout() {
        return literalsOnly;
    }

    @Override
    public Optional<Resolution> resolve(NodeName node) throws IOException {
        return resolve(node, DEFAULT_TIMEOUT);
    }

    /**
     * @param node the node
     * @return the first matching entry's address and port, or empty if no entry matches
     * @param timeout what the host resolver may take for an entry naming a host
     * @throws NodeNotFoundException if the matching entry's host name (or the node's host)
     *         has no address; the message names the node, the host, the entry
     *         and what the host resolver said
     * @throws IOException if the host resolver could not find out (its DNS
     *         servers could not be reached)
     */
    @Override
    public Optional<Resolution> resolve(NodeName node, Duration timeout) throws IOException {
        Optional<StaticEntry> match = firstMatch(node);
        if (match.isEmpty()) {
            return Optional.empty();
        }
        StaticEntry entry = match.get();
        if (entry.literal() != null) {
            return Optional.of(Resolution.of(List.of(Candidate.of(entry.literal(), entry.port())), LITERAL_TTL,
                    entry.source()));
        }
        String host = entry.hostToResolve(node);
        Resolution found;
        try {
            found = hosts.resolve(host, entry.port(), timeout);
        } catch (NodeNotFoundException e) {
            throw new NodeNotFoundException("node " + node + ": cannot resolve host '" + host + "' of "
                    + entry.source() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UnavailableException("node " + node + ": host '" + host + "' of " + entry.source() + ": "
                    + e.getMessage(), e);
        }
        return Optional.of(Resolution.of(found.candidates(), found.ttl(), entry.source() + ", " + found.source()));
    }

    /**
     * Lists the nodes of the exact (wildcard-free) entries, each with the port
     * {@link #resolve} would answer for it: if an earlier entry (a wildcard, or
     * the same name written twice) matches the node too, that entry's port is
     * listed, and each node is listed once.
     *
     * @return the exact nodes in entry order, or empty if no entry is exact
     */
    @Override
    public Optional<List<NodeEntry>> list() {
        Set<NodeName> seen = new LinkedHashSet<>();
        List<NodeEntry> listed = new ArrayList<>();
        for (StaticEntry entry : entries) {
            Optional<NodeName> exact = entry.nodes().exact();
            if (exact.isPresent() && seen.add(exact.get())) {
                // firstMatch cannot be empty: the entry itself matches.
                listed.add(NodeEntry.of(exact.get(), firstMatch(exact.get()).orElse(entry).port()));
            }
        }
        return seen.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(listed));
    }

    private Optional<StaticEntry> firstMatch(NodeName node) {
        for (StaticEntry entry : entries) {
            if (entry.nodes().matches(node)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** @return for example {@code static resolver (3 entries)} */
    @Override
    public String toString() {
        return "static resolver (" + entries.size() + " entries)";
    }
}
