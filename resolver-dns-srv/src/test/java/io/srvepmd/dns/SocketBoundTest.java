package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Item 3: the sockets a storm of lookups holds are bounded, questions wait
 * for a socket within their deadline, and UDP buffers are sized to the EDNS
 * payload. Counted twice: by the socket source's own counter (exact peak) and
 * by the process's open socket descriptors in {@code /proc/self/fd} (sampled).
 */
class SocketBoundTest {

    static final Duration GUARD = Duration.ofSeconds(60); // a hang guard, not a timing claim

    /** @return the descriptors of this process that are sockets of any kind */
    static int openSockets() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // gone between listing and reading: not open
                }
            }
        }
        return n;
    }

    static FakeDns answering() throws IOException {
        return new FakeDns(q -> List.of(FakeDnsResolverTest.reply(q, Rcode.NOERROR).toWire()));
    }

    @Test
    void aThousandConcurrentLookupsOfDistinctNodesHoldAtMostTheBound() {
        assertTimeoutPreemptively(GUARD, () -> {
            // The JDK keeps one socket of its own open for good after the first close of a
            // socket that a thread is blocked on (NIO's pre-close descriptor): have it made now.
            answering().close();
            int baseline = openSockets();
            int bound = UdpSockets.MAX_IN_USE + UdpSockets.MAX_IDLE;
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger sampled = new AtomicInteger();
            try (FakeDns dns = answering();
                    DnsSrvResolver r = (DnsSrvResolver) new DnsSrvResolverProvider().get(TestConfig.of(
                            "dns.servers", dns.server(), "dns.timeout", "60s"))) {
                int withFake = openSockets();
                // Answers go out in batches of as many questions as may hold a socket at once:
                // then that many are in flight together, and without the bound far more would be.
                dns.batches(UdpSockets.MAX_IN_USE, 1000);
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    NodeName node = NodeName.parse("n" + i + "@svc.consul");
                    threads.add(new Thread(null, () -> {
                        try {
                            go.await();
                            assertEquals(4370, r.resolve(node).orElseThrow().candidates().get(0).port());
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }, "lookup-" + i, 256 * 1024));
                }
                threads.forEach(Thread::start);
                AtomicBoolean storm = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (storm.get()) {
                        try {
                            sampled.accumulateAndGet(openSockets(), Math::max);
                        } catch (IOException e) {
                            failures.add(e);
                            return;
                        }
                    }
                });
                sampler.start();
                go.countDown();
                for (Thread t : threads) {
                    t.join();
                }
                storm.set(false);
                sampler.join();
                assertTrue(failures.isEmpty(), () -> failures.size() + " lookups failed, first: " + failures.peek());
                UdpSockets sockets = r.transport().sockets();
                assertTrue(sockets.peakOpenSockets() >= UdpSockets.MAX_IN_USE, "the storm filled the bound");
                assertTrue(sockets.peakOpenSockets() <= bound,
                        "at most " + bound + " UDP sockets at once, counted " + sockets.peakOpenSockets());
                assertTrue(sampled.get() <= withFake + bound, "sampled " + sampled.get() + " open sockets, "
                        + withFake + " before the storm");
                r.close();
                assertEquals(0, sockets.openSockets(), "closing the resolver closes its idle sockets");
            }
            assertTrue(openSockets() <= baseline, "back to the " + baseline + " sockets open before");
        });
    }

    @Test
    void questionsBeyondTheBoundWaitForASocket() {
        assertTimeoutPreemptively(GUARD, () -> {
            try (FakeDns dns = answering();
                    DnsTransport t = new DnsTransport(TestConfig.of("dns.servers", dns.server()).getAddresses("dns.servers", 53), 4, false)) {
                dns.hold();
                Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String name = "q" + i + ".svc.consul";
                    Thread th = new Thread(() -> {
                        try {
                            t.query(Replies.name(name), Type.SRV, Deadline.after(Duration.ofSeconds(100)), name);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                    threads.add(th);
                    th.start();
                }
                // Four questions reach the server and stay unanswered; six wait for a socket.
                // (Without the bound all ten reach the server, and this never becomes true.)
                while (dns.held() < 4 || t.sockets().waiting() < 6) {
                    Thread.onSpinWait();
                }
                assertEquals(4, dns.questions());
                assertEquals(4, t.sockets().openSockets());
                dns.release();
                for (Thread th : threads) {
                    th.join();
                }
                assertTrue(failures.isEmpty(), () -> "failed: " + failures);
                assertEquals(10, dns.questions());
                assertTrue(t.sockets().peakOpenSockets() <= 4 + UdpSockets.MAX_IDLE);
            }
        });
    }

    @Test
    void aQuestionThatGetsNoSocketWithinItsDeadlineIsUnavailable() {
        assertTimeoutPreemptively(GUARD, () -> {
            try (FakeDns dns = answering();
                    DnsTransport t = new DnsTransport(TestConfig.of("dns.servers", dns.server()).getAddresses("dns.servers", 53), 1, false)) {
                dns.hold();
                Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
                Thread first = new Thread(() -> {
                    try {
                        t.query(Replies.name("a.svc.consul"), Type.SRV, Deadline.after(Duration.ofSeconds(100)), "a");
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                first.start();
                while (dns.held() < 1) {
                    Thread.onSpinWait();
                }
                UnavailableException e = assertThrows(UnavailableException.class, () -> t.query(
                        Replies.name("b.svc.consul"), Type.SRV, Deadline.after(Duration.ofMillis(200)),
                        "SRV b.svc.consul"));
                assertTrue(e.getMessage().startsWith("SRV b.svc.consul: no usable answer within "), e.getMessage());
                assertTrue(e.getMessage().endsWith(" ms (no socket came free: 1 questions, the most that may hold"
                        + " one, were in flight)"), e.getMessage());
                assertEquals(1, dns.questions(), "the second question never left");
                dns.release();
                first.join();
                assertTrue(failures.isEmpty(), () -> "failed: " + failures);
            }
        });
    }

    @Test
    void udpBuffersAreTheEdnsPayloadPlusOne() throws Exception {
        InetSocketAddress server = new InetSocketAddress(Servers.v4("127.0.0.1"), Dnsmasq.freePort());
        try (UdpSockets sockets = new UdpSockets(List.of(server), 1, false)) {
            UdpSockets.Lease l = sockets.acquire(server);
            try {
                assertEquals(1233, l.buf.length, "1232 bytes advertised, one more to see a cut datagram");
            } finally {
                sockets.release(l, false);
            }
            assertEquals(0, sockets.openSockets());
        }
    }
}
