package io.srvepmd.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns an Erlang node name into where that node listens.
 *
 * <p><b>What the agent does around a resolver.</b> It gives each call a
 * timeout: the resolver's share of what is left of {@code dns.timeout} (the
 * resolvers of a chain share it, so one that hangs leaves time for the next).
 * A resolver that says it {@linkplain #honoursTimeout() honours} that timeout
 * is called on the program's own thread. Any other is called on one of the
 * agent's threads, and the agent waits for it no longer than the timeout: a
 * call still running then is abandoned (the caller gets an
 * {@code IOException} naming the resolver) and its late result dropped; at
 * most 16 such calls of one resolver run at once. Concurrent lookups of one
 * node are coalesced before they get here, answers are cached for their
 * {@link Resolution#ttl() TTL} (bounded by the agent's settings), and a
 * program thread's interrupt flag never reaches a resolver: the agent clears
 * it for the call and sets it again afterwards, as JInterface's own blocking
 * socket calls ignore it.
 *
 * <p><b>Outcomes.</b> An answer; "not mine" (an empty {@code Optional}: the
 * agent asks the next resolver); "no such node" ({@link NodeNotFoundException}:
 * the chain stops and the failure is cached for {@code dns.negative-ttl}); or
 * any other exception, which means "could not find out": the agent serves this
 * resolver's last good answer for the node, if any, or asks the next resolver.
 *
 * <p><b>What a resolver must do.</b> Be thread-safe. Bound its own work in
 * time (every network call or lock with a timeout no longer than the one it is
 * given): an abandoned call keeps the agent's thread until it returns. Never
 * print to the program's output, never start threads it does not stop in
 * {@link #close()}, and keep no cache of answers (the agent owns that).
 */
public interface EpmdResolver extends AutoCloseable {

    /**
     * Resolves a node, without a timeout of its own: the agent calls
     * {@link #resolve(NodeName, Duration)}, whose default calls this. A
     * resolver that overrides that method implements this one by calling it
     * with a timeout of its choice.
     *
     * @param node the node to find
     * @return the node's resolution, or empty if this resolver has nothing to
     *         say about the node ("not mine")
     * @throws NodeNotFoundException if this resolver is responsible for the
     *         node and its source says it does not exist. The message should
     *         name what was asked and what came back, for example
     *         {@code "SRV node-0.svc.service.consul: NXDOMAIN from 127.0.0.1:8600"}
     * @throws IOException if the source could not be reached or did not
     *         answer usefully (a server down, a timeout, a missing file); an
     *         {@link UnavailableException} says so explicitly
     */
    Optional<Resolution> resolve(NodeName node) throws IOException;

    /**
     * Resolves a node within {@code timeout}; what the agent calls. The
     * default ignores the timeout and calls {@link #resolve(NodeName)}; the
     * agent then bounds the call from one of its own threads.
     *
     * @param node the node to find
     * @param timeout how long this call may take; positive
     * @return as {@link #resolve(NodeName)}
     * @throws NodeNotFoundException as {@link #resolve(NodeName)}
     * @throws IOException as {@link #resolve(NodeName)}, a timeout included
     * @since 0.2.0
     */
    default Optional<Resolution> resolve(NodeName node, Duration timeout) throws IOException {
        return resolve(node);
    }

    /**
     * Whether this resolver returns from {@link #resolve(NodeName, Duration)}
     * and {@link #list(Duration)} within the timeout it is given (give or take
     * a few milliseconds), whatever its sources do. The agent then calls it on
     * the program's own thread, sparing the hand-off to one of its threads: on
     * a busy machine two context switches cost more than a DNS question to a
     * local server. Say {@code true} only when every blocking step is bounded
     * by that timeout. The default is {@code false}.
     *
     * @return whether calls may run on the program's thread
     * @since 0.2.0
     */
    default boolean honoursTimeout() {
        return false;
    }

    /**
     * Lists the nodes this resolver knows, for {@code OtpEpmd.lookupNames},
     * without a timeout of its own: the agent calls {@link #list(Duration)},
     * whose default calls this.
     *
     * @return the nodes, or empty if this resolver cannot list
     * @throws IOException if listing is supported but failed (the listing as
     *         a whole then fails, naming this resolver)
     */
    default Optional<List<NodeEntry>> list() throws IOException {
        return Optional.empty();
    }

    /**
     * Lists the nodes this resolver knows within {@code timeout}; what the
     * agent calls. The default calls {@link #list()}.
     *
     * @param timeout how long this call may take; positive
     * @return as {@link #list()}
     * @throws IOException as {@link #list()}
     * @since 0.2.0
     */
    default Optional<List<NodeEntry>> list(Duration timeout) throws IOException {
        return list();
    }

    /**
     * Releases what the resolver holds (sockets, threads). Called once at JVM
     * shutdown, from a shutdown hook that waits for it at most a second: a
     * close that blocks longer is abandoned so that the JVM can exit. The
     * default does nothing.
     */
    @Override
    default void close() {
    }
}
