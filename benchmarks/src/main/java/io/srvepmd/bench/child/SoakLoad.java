package io.srvepmd.bench.child;

import com.ericsson.otp.erlang.OtpConnection;
import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import com.ericsson.otp.erlang.OtpNode;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The soak's load: an ordinary JInterface program, run with -javaagent in a JVM of its own, whose
 * heap, file descriptors and threads the soak watches. Its threads connect and disconnect all the
 * time against the Erlang nodes named in the arguments:
 * <ul>
 * <li>pingers: a short-lived {@code OtpNode} with a random {@code rpc-} name, one ping, close;
 * <li>callers: a short-lived {@code OtpSelf} with a random {@code rpc-} name, connect, an rpc
 *     ({@code erlang:node()}, which must name the peer), close;
 * <li>a messenger: one long-lived {@code OtpNode} whose mailbox sends to each node's {@code echo}
 *     process (the it_node fixture) and waits for the echo; its connections break when a node moves;
 * <li>a ghost-hunter: {@code OtpEpmd.lookupPort} of random names that do not exist (0 expected; an
 *     exception while DNS is down, counted apart), so failures churn through the cache.
 * </ul>
 * Commands on stdin, one a line: {@code sample} prints {@code SAMPLE heapBytes fds threads classes
 * ok failed ghosts ghostsUnavailable}, taken while no operation is under way (the threads finish
 * the one they are doing and wait): heap used after full GCs, then descriptors and threads once the
 * sockets and threads of the operations just done are gone; {@code count} prints
 * {@code COUNT ok failed}; {@code stop} (or the end of input) stops the threads, prints
 * {@code STOPPED ok failed} and exits. Failures go to stderr, the first of each kind in full.
 * Args: cookie pauseMs node...
 */
public final class SoakLoad {

    private static final AtomicLong OK = new AtomicLong();
    private static final AtomicLong FAILED = new AtomicLong();
    private static final AtomicLong GHOSTS = new AtomicLong();
    private static final AtomicLong GHOSTS_UNAVAILABLE = new AtomicLong();
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();
    private static volatile boolean running = true;
    /** Operations hold it shared; a sample holds it alone, so that nothing is in flight. */
    private static final ReadWriteLock QUIET = new ReentrantReadWriteLock();

    private final String cookie;
    private final long pauseMs;
    private final List<String> peers;
    private final String domain;

    private SoakLoad(String cookie, long pauseMs, List<String> peers) {
        this.cookie = cookie;
        this.pauseMs = pauseMs;
        this.peers = peers;
        this.domain = peers.get(0).substring(peers.get(0).indexOf('@') + 1);
    }

    public static void main(String[] args) throws Exception {
        SoakLoad load = new SoakLoad(args[0], Long.parseLong(args[1]), List.of(args).subList(2, args.length));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(load.worker("pinger-" + i, load::pingOnce));
            threads.add(load.worker("caller-" + i, load::rpcOnce));
        }
        OtpNode messenger = new OtpNode("soak-messenger@" + load.domain, load.cookie);
        OtpMbox mbox = messenger.createMbox();
        threads.add(load.worker("messenger", () -> load.echoOnce(mbox)));
        threads.add(load.worker("ghost-hunter", load::ghostOnce));
        threads.forEach(Thread::start);
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("stop")) {
            if (line.equals("sample")) {
                System.out.println(sample());
            } else if (line.equals("count")) {
                System.out.println("COUNT " + OK.get() + " " + FAILED.get());
            }
        }
        running = false;
        for (Thread t : threads) {
            t.join(15_000);
        }
        messenger.close();
        System.out.println("STOPPED " + OK.get() + " " + FAILED.get());
        System.exit(0);
    }

    private interface Op {
        void run() throws Exception;
    }

    private Thread worker(String name, Op op) {
        return new Thread(() -> {
            while (running) {
                QUIET.readLock().lock();
                try {
                    op.run();
                    OK.incrementAndGet();
                } catch (Exception e) {
                    FAILED.incrementAndGet();
                    report(name, e);
                } finally {
                    QUIET.readLock().unlock();
                }
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
    }

    private String peer() {
        return peers.get(ThreadLocalRandom.current().nextInt(peers.size()));
    }

    private String helperName() {
        return "rpc-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "@" + domain;
    }

    private void pingOnce() throws IOException {
        String peer = peer();
        OtpNode node = new OtpNode(helperName(), cookie);
        try {
            if (!node.ping(peer, 5000)) {
                throw new IOException("pang from " + peer);
            }
        } finally {
            node.close();
        }
    }

    private void rpcOnce() throws Exception {
        String peer = peer();
        OtpConnection c = new OtpSelf(helperName(), cookie).connect(new OtpPeer(peer));
        try {
            c.sendRPC("erlang", "node", new OtpErlangList());
            OtpErlangObject answer = c.receiveRPC();
            if (!new OtpErlangAtom(peer).equals(answer)) {
                throw new IOException("erlang:node() on " + peer + " answered " + answer);
            }
        } finally {
            c.close();
        }
    }

    private void echoOnce(OtpMbox mbox) throws Exception {
        String peer = peer();
        OtpErlangBinary text = new OtpErlangBinary(Long.toHexString(System.nanoTime()).getBytes(StandardCharsets.UTF_8));
        mbox.send("echo", peer, new OtpErlangTuple(new OtpErlangObject[] {mbox.self(), text}));
        OtpErlangObject reply = mbox.receive(5000);
        if (!(reply instanceof OtpErlangTuple) || !text.equals(((OtpErlangTuple) reply).elementAt(1))) {
            throw new IOException("echo from " + peer + ": " + reply);
        }
    }

    private void ghostOnce() {
        String ghost = "ghost-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "@" + domain;
        try {
            int port = OtpEpmd.lookupPort(new OtpPeer(ghost));
            if (port != 0) {
                throw new IllegalStateException(ghost + " has port " + port);
            }
            GHOSTS.incrementAndGet();
        } catch (IOException dnsDown) {
            GHOSTS_UNAVAILABLE.incrementAndGet();
        }
    }

    /** The first failure of each kind with its stack, then one line each. */
    private static void report(String worker, Exception e) {
        String kind = worker.replaceAll("-\\d+$", "") + " " + e.getClass().getName();
        System.err.println(System.currentTimeMillis() + " " + worker + " failed: " + e);
        if (REPORTED.add(kind)) {
            e.printStackTrace();
        }
    }

    private static String sample() throws IOException, InterruptedException {
        QUIET.writeLock().lock();
        try {
            // Two collections: JInterface's nodes and connections have finalizers, so what they hold
            // (an OtpSelf's listen socket: JInterface has no call to close it) becomes unreachable
            // only once those ran. Then the connection threads of closed nodes end, and the
            // sockets' cleaners close them.
            System.gc();
            Thread.sleep(500);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Thread.sleep(500);
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.count();
            }
            return "SAMPLE " + heap + " " + fds + " " + ManagementFactory.getThreadMXBean().getThreadCount() + " "
                    + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() + " " + OK.get() + " "
                    + FAILED.get() + " " + GHOSTS.get() + " " + GHOSTS_UNAVAILABLE.get();
        } finally {
            QUIET.writeLock().unlock();
        }
    }
}
