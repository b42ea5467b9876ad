package io.srvepmd.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where questions get their UDP sockets, and the bound on how many questions
 * hold one at a time.
 *
 * <p>The bound: a question takes a turn ({@link #awaitTurn}) before it opens
 * anything and gives it back when it is done; at most {@code maxInUse} turns
 * exist, and a question waits for one only as long as its deadline allows.
 * Within its turn a question holds at most one socket at a time (its UDP
 * socket, or after truncation its TCP connection). Without this bound a storm
 * of distinct lookups (1,000 threads) opened 1,000 sockets and starved the
 * host of file descriptors. Idle pooled sockets come on top: at most
 * {@link #MAX_IDLE} per loopback server.
 *
 * <p>The source of a socket follows {@link SpoofResistance}: a loopback server
 * gets a pooled socket, already connected, reused after a clean exchange
 * (opening one costs more than a whole question on loopback); any other server
 * a fresh socket for every attempt, closed afterwards.
 *
 * <p>Receive buffers are {@link #BUFFER} bytes: the EDNS(0) payload size the
 * questions advertise, plus one. Java silently cuts a datagram to the buffer,
 * so a datagram that fills the whole buffer was larger than advertised and
 * may have been cut: the exchange treats it as truncated and asks over TCP.
 *
 * <p>Thread-safe.
 */
final class UdpSockets implements AutoCloseable {

    /** The EDNS(0) UDP payload size recommended by DNS Flag Day 2020: no IP fragmentation. */
    static final int EDNS_PAYLOAD = 1232;
    /** Receive buffer size: one more than advertised, so a full buffer means "maybe cut". */
    static final int BUFFER = EDNS_PAYLOAD + 1;
    /** Questions holding a socket at once, by default; more wait for a turn within their deadline. */
    static final int MAX_IN_USE = 64;
    /** Idle sockets kept per loopback server. */
    static final int MAX_IDLE = 4;

    private final int maxInUse;
    private final Semaphore turns;
    /** Pools of the loopback servers; other servers have none. */
    private final Map<InetSocketAddress, Deque<Lease>> idle = new HashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param servers the servers questions will go to
     * @param maxInUse the bound on questions holding a socket at once
     * @param freshEverywhere tests only: fresh sockets for loopback servers too,
     *        to exercise the off-host mode where no off-host address exists
     */
    UdpSockets(List<InetSocketAddress> servers, int maxInUse, boolean freshEverywhere) {
        this.maxInUse = maxInUse;
        this.turns = new Semaphore(maxInUse, true); // fair: the longest waiter goes first
        for (InetSocketAddress s : servers) {
            if (!freshEverywhere && SpoofResistance.isLoopback(s)) {
                idle.put(s, new ConcurrentLinkedDeque<Lease>());
            }
        }
    }

    /** A UDP socket connected to one server, with its receive buffer. */
    static final class Lease {
        final DatagramSocket socket;
        final byte[] buf = new byte[BUFFER];
        final InetSocketAddress server;

        private Lease(InetSocketAddress server) throws IOException {
            this.server = server;
            // Bound to an ephemeral port the kernel picks at random (Linux randomises it).
            socket = new DatagramSocket();
            try {
                // Connected: the kernel drops datagrams from anyone but the server, and
                // reports an ICMP "port unreachable" as PortUnreachableException.
                socket.connect(server);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }

    /**
     * Waits for a turn to hold a socket.
     *
     * @param nanos how long to wait at most
     * @return false if none came free in time
     */
    boolean awaitTurn(long nanos) throws InterruptedException {
        return nanos > 0 && turns.tryAcquire(nanos, TimeUnit.NANOSECONDS);
    }

    /** Gives back a turn taken with {@link #awaitTurn}, after its socket was released. */
    void endTurn() {
        turns.release();
    }

    /** @return the bound on questions holding a socket at once, for messages */
    int maxInUse() {
        return maxInUse;
    }

    /**
     * A socket connected to {@code server}, pooled or fresh per the server's
     * address. Call only within a turn, and always {@link #release} it.
     */
    Lease acquire(InetSocketAddress server) throws IOException {
        Deque<Lease> pool = idle.get(server);
        Lease l = pool == null ? null : pool.pollFirst();
        if (l != null) {
            return l;
        }
        l = new Lease(server);
        int now = open.incrementAndGet();
        for (int p = peak.get(); now > p && !peak.compareAndSet(p, now); p = peak.get()) {
            // retry: another thread raised the peak meanwhile
        }
        return l;
    }

    /**
     * Returns a socket. Only a clean one (its exchange ended with an accepted
     * answer) goes back to a pool: after a failure, a late answer might still
     * arrive on it.
     */
    void release(Lease l, boolean clean) {
        Deque<Lease> pool = idle.get(l.server);
        if (clean && pool != null && !closed && pool.size() < MAX_IDLE) {
            pool.offerFirst(l);
            if (!closed || !pool.remove(l)) {
                return; // pooled, or close() ran meanwhile and already closed it
            }
        }
        close(l);
    }

    private void close(Lease l) {
        l.socket.close();
        open.decrementAndGet();
    }

    /** Closes the idle sockets; questions after this still work but keep no socket. */
    @Override
    public void close() {
        closed = true;
        for (Deque<Lease> pool : idle.values()) {
            for (Lease l = pool.pollFirst(); l != null; l = pool.pollFirst()) {
                close(l);
            }
        }
    }

    /** Tests: UDP sockets open now, in use or idle. */
    int openSockets() {
        return open.get();
    }

    /** Tests: the most UDP sockets open at once so far. */
    int peakOpenSockets() {
        return peak.get();
    }

    /** Tests: questions waiting for a turn. */
    int waiting() {
        return turns.getQueueLength();
    }
}
