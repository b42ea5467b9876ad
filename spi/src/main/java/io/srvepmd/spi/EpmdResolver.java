package io.srvepmd.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Turns an Erlang node name into where that node listens.
 *
 * <p>Implementations must be thread-safe. They should bound their own work in
 * time (a resolver that talks to a server has a timeout setting). The agent
 * calls a resolver at most once at a time per node: concurrent lookups of the
 * same node are coalesced before they get here, and answers are cached for
 * their {@link Resolution#ttl() TTL}.
 */
public interface EpmdResolver extends AutoCloseable {

    /**
     * Resolves a node.
     *
     * @param node the node to find
     * @return the node's resolution, or empty if this resolver has nothing to
     *         say about the node ("not mine": the agent asks the next resolver)
     * @throws IOException if this resolver is responsible for the node but
     *         could not find it (no such record, server failure, timeout). The
     *         message should name what was asked and what came back, for example
     *         {@code "SRV node-0.svc.service.consul: NXDOMAIN from 127.0.0.1:8600"}.
     *         Throw {@link UnavailableException} when the source of truth could
     *         not be reached at all, so that the agent may serve a stale answer.
     */
    Optional<Resolution> resolve(NodeName node) throws IOException;

    /**
     * Lists the nodes this resolver knows, for {@code OtpEpmd.lookupNames}.
     *
     * @return the nodes, or empty if this resolver cannot list
     * @throws IOException if listing is supported but failed
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
