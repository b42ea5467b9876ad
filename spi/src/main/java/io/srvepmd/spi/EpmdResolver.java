package io.srvepmd.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Turns an Erlang node name into where that node listens.
 *
 * <p><b>What the agent does around a resolver.</b> It calls a resolver on one
 * of its own threads, never the program's, and waits at most the resolver's
 * share of {@code dns.timeout}; a call still running then is abandoned (the
 * caller gets an {@code IOException} naming the resolver) and its late result
 * dropped. At most 16 calls of one resolver run at once. Concurrent lookups of
 * one node are coalesced before they get here, answers are cached for their
 * {@link Resolution#ttl() TTL} (bounded by the agent's settings), and anything
 * the resolver throws besides the documented exceptions counts as
 * "unavailable".
 *
 * <p><b>What a resolver must do.</b> Be thread-safe. Bound its own work in
 * time (every network call or lock with a timeout no longer than
 * {@code dns.timeout}): an abandoned call keeps its thread until it returns.
 * Never print to the program's output, never start threads it does not stop in
 * {@link #close()}, and keep no cache of answers (the agent owns that).
 */
public interface EpmdResolver extends AutoCloseable {

    /**
     * Resolves a node.
     *
     * @param node the node to find
     * @return the node's resolution, or empty if this resolver has nothing to
     *         say about the node ("not mine": the agent asks the next resolver)
     * @throws UnavailableException if the source of truth could not be reached
     *         or did not answer usefully (a server down, a timeout, a missing
     *         file): the agent then serves this resolver's last good answer for
     *         the node, if any, or asks the next resolver
     * @throws IOException if this resolver is responsible for the node and it
     *         does not exist (the answer "no such node", cached for
     *         {@code dns.negative-ttl}; the chain stops here). The message should
     *         name what was asked and what came back, for example
     *         {@code "SRV node-0.svc.service.consul: NXDOMAIN from 127.0.0.1:8600"}.
     */
    Optional<Resolution> resolve(NodeName node) throws IOException;

    /**
     * Lists the nodes this resolver knows, for {@code OtpEpmd.lookupNames}.
     *
     * @return the nodes, or empty if this resolver cannot list
     * @throws IOException if listing is supported but failed (bounded like
     *         {@link #resolve}; the listing as a whole then fails, naming this resolver)
     */
    default Optional<List<NodeEntry>> list() throws IOException {
        return Optional.empty();
    }

    /**
     * Releases what the resolver holds (sockets, threads). Called once at JVM
     * shutdown. The default does nothing.
     */
    @Override
    default void close() {
    }
}
