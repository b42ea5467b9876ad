package com.example.kvfile;

import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.HostResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers from the file named by {@code kvfile.file}: one {@code NODE=ADDRESS:PORT}
 * entry per line, {@code #} comment lines and blank lines ignored, the first
 * entry for a node wins. ADDRESS is an IPv4 address, a bracketed IPv6 address
 * or a host name.
 *
 * <p>The three outcomes the agent tells apart:
 * <ul>
 * <li>an answer: the node's addresses and port, reused for {@code kvfile.ttl};</li>
 * <li>{@code Optional.empty()}: the node is not in the file, so not ours; the
 *     agent asks the next resolver of its {@code resolvers} list;</li>
 * <li>{@link UnavailableException}: the file is missing, unreadable or
 *     malformed; the agent serves the node's last good answer (for up to
 *     {@code dns.stale-ttl}) or asks the next resolver.</li>
 * </ul>
 * (A resolver that owns a node and knows it is gone throws
 * {@link io.srvepmd.spi.NodeNotFoundException}; this one does so only when the
 * host of an entry does not exist, through the host resolver.)
 * Caching, coalescing concurrent lookups, stale answers and connection
 * failover are the agent's: this class keeps no state, so it is thread-safe.
 */
final class KvFileResolver implements EpmdResolver {

    private final Path file;
    private final Duration ttl;
    private final HostResolver hosts;

    KvFileResolver(Path file, Duration ttl, HostResolver hosts) {
        this.file = file;
        this.ttl = ttl;
        this.hosts = hosts;
    }

    @Override
    public Optional<Resolution> resolve(NodeName node) throws IOException {
        return resolve(node, Duration.ofSeconds(2));
    }

    /**
     * What the agent calls, with the time this call may take. Reading a local file is not
     * bounded by it, so this resolver does not claim to honour it ({@code honoursTimeout()}
     * stays false): the agent calls it on one of its own threads and stops waiting in time.
     */
    @Override
    public Optional<Resolution> resolve(NodeName node, Duration timeout) throws IOException {
        Entry entry = read().get(node);
        if (entry == null) {
            return Optional.empty();
        }
        // The agent's host resolver: IP literals as they are, host names through the hosts file and
        // the agent's DNS servers, within the timeout. Its NodeNotFoundException ("no such host")
        // passes through as "not there"; any other failure means "could not find out".
        Resolution host = hosts.resolve(entry.address, entry.port, timeout);
        return Optional.of(Resolution.of(host.candidates(), ttl, "kvfile " + entry.where));
    }

    /** Every node in the file, for {@code OtpEpmd.lookupNames} and the agent's {@code names} command. */
    @Override
    public Optional<List<NodeEntry>> list() throws IOException {
        List<NodeEntry> nodes = new ArrayList<>();
        for (Map.Entry<NodeName, Entry> e : read().entrySet()) {
            nodes.add(NodeEntry.of(e.getKey(), e.getValue().port));
        }
        return Optional.of(nodes);
    }

    /** The whole file, on every call: it is small, and the agent reuses each answer for {@code ttl}. */
    private Map<NodeName, Entry> read() throws UnavailableException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e, e);
        }
        Map<NodeName, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            int eq = line.indexOf('=');
            int colon = line.lastIndexOf(':');
            try {
                if (eq < 1 || colon < eq + 2) {
                    throw new IllegalArgumentException("expected NODE=ADDRESS:PORT");
                }
                NodeName node = NodeName.parse(line.substring(0, eq).strip());
                String address = line.substring(eq + 1, colon).strip();
                if (address.startsWith("[") && address.endsWith("]")) {
                    address = address.substring(1, address.length() - 1);
                }
                entries.putIfAbsent(node, new Entry(address, port(line.substring(colon + 1).strip()), where));
            } catch (IllegalArgumentException e) {
                // A half-written file is an outage of the source, not an answer about the node.
                throw new UnavailableException(where + ": '" + line + "': " + e.getMessage());
            }
        }
        return entries;
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("port '" + text + "' is not a number 1-65535");
    }

    /** One line of the file. */
    private static final class Entry {
        final String address;
        final int port;
        final String where;

        Entry(String address, int port, String where) {
            this.address = address;
            this.port = port;
            this.where = where;
        }
    }
}
