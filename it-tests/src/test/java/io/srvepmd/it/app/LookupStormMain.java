package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpPeer;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded load test from inside an ordinary JInterface program: many threads,
 * released together, each calling {@code OtpEpmd.lookupPort(new OtpPeer(name))}
 * for a distinct name, while a probe thread counts the open file descriptors
 * and keeps loading classes; then it waits for descriptors and threads to come
 * back to where they were.
 *
 * <p>Usage: {@code LookupStormMain EXISTING UNKNOWN MALFORMED HOST SETTLE_SECONDS}.
 * Names: {@code e-I@HOST} for I below EXISTING (the test publishes them),
 * {@code u-I@HOST} for I below UNKNOWN (the test publishes none), and MALFORMED
 * names a hostile peer might send, cycling through {@link #malformed} forms.
 * Before the storm it looks up {@code warm-up@HOST} once, so that what a first
 * lookup opens for good (jars, the agent's first socket) is in the baseline.
 *
 * <p>Prints {@code LIMIT open-files=N} (from /proc/self/limits), one line per
 * lookup, {@code R KIND I ok PORT} or {@code R KIND I ioe MESSAGE} or
 * {@code R KIND I other CLASS: MESSAGE} (messages on one line), then
 * {@code STORM lookups=N ms=T}, {@code PROBE loads=N failures=F first=MESSAGE}, {@code LOADED CLASS} (a class
 * loaded for the first time after the storm),
 * {@code FDS baseline=B peak=P}, {@code THREADS baseline=B peak=P storm=N},
 * and finally {@code SETTLED fds=F threads=T} once descriptors are at most
 * {@code baseline + 4} (the DNS resolver keeps up to 4 idle sockets per
 * server) and threads at most their baseline, or {@code UNSETTLED fds=F
 * threads=T extra=[names]} after SETTLE_SECONDS.
 */
public final class LookupStormMain {

    /** Idle UDP sockets the dns-srv resolver may keep per (loopback) server. */
    private static final int IDLE_SOCKETS = 4;

    private LookupStormMain() {
    }

    /** The I-th malformed name: forms a broken or hostile peer may send. */
    static String malformed(int i) {
        String x = "x".repeat(290);
        switch (i % 7) {
            case 0: return "a" + i + "@b@c";                       // two '@'
            case 1: return "x" + i + "@..";                        // empty DNS labels
            case 2: return "n" + i + "-" + x + "@svc.test";         // 300 characters; JInterface keeps 255 of the alive part
            case 3: return "h" + i + "@" + i + "-" + x + ".test";   // a 300-character host part
            case 4: return "bad" + i + "!*@svc.test";              // characters no node name has
            case 5: return "s" + i + "@svc test";                   // a space in the host
            default: return "l" + i + "@" + "y".repeat(70) + i + ".svc.test"; // a DNS label over 63 octets
        }
    }

    public static void main(String[] args) throws Exception {
        int existing = Integer.parseInt(args[0]);
        int unknown = Integer.parseInt(args[1]);
        int malformed = Integer.parseInt(args[2]);
        String host = args[3];
        long settleMillis = Long.parseLong(args[4]) * 1000;
        Out.line("LIMIT open-files=" + openFileLimit());

        try {
            OtpEpmd.lookupPort(new OtpPeer("warm-up@" + host));
        } catch (IOException expected) {
            // NXDOMAIN: it only had to go through the resolver once
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int baseFds = openFds();
        int baseThreads = mx.getThreadCount();

        List<String[]> names = new ArrayList<>();
        for (int i = 0; i < existing; i++) {
            names.add(new String[] {"existing", Integer.toString(i), "e-" + i + "@" + host});
        }
        for (int i = 0; i < unknown; i++) {
            names.add(new String[] {"unknown", Integer.toString(i), "u-" + i + "@" + host});
        }
        for (int i = 0; i < malformed; i++) {
            names.add(new String[] {"malformed", Integer.toString(i), malformed(i)});
        }

        AtomicBoolean storming = new AtomicBoolean(true);
        AtomicInteger peakFds = new AtomicInteger(baseFds);
        AtomicInteger peakThreads = new AtomicInteger(baseThreads);
        AtomicInteger loads = new AtomicInteger();
        AtomicInteger loadFailures = new AtomicInteger();
        AtomicReference<String> firstLoadFailure = new AtomicReference<>();
        URL classes = LookupStormMain.class.getProtectionDomain().getCodeSource().getLocation();
        Thread probe = new Thread(() -> {
            while (storming.get()) {
                peakFds.accumulateAndGet(openFds(), Math::max);
                peakThreads.accumulateAndGet(mx.getThreadCount(), Math::max);
                // What the host does all the time: load a class from a file it opens now.
                try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, null)) {
                    loader.loadClass(Probe.class.getName());
                    loads.incrementAndGet();
                } catch (Throwable e) {
                    loadFailures.incrementAndGet();
                    firstLoadFailure.compareAndSet(null, e.toString());
                }
                Thread.yield();
            }
        }, "probe");

        CountDownLatch ready = new CountDownLatch(names.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> storm = new ArrayList<>();
        String[] results = new String[names.size()];
        for (int n = 0; n < names.size(); n++) {
            int slot = n;
            String[] name = names.get(n);
            Thread t = new Thread(() -> {
                String outcome;
                try {
                    OtpPeer peer;
                    try {
                        peer = new OtpPeer(name[2]);
                    } finally {
                        ready.countDown();
                    }
                    go.await();
                    outcome = "ok " + OtpEpmd.lookupPort(peer);
                } catch (IOException e) {
                    outcome = "ioe " + oneLine(e.getMessage());
                } catch (Throwable e) {
                    outcome = "other " + e.getClass().getName() + ": " + oneLine(e.getMessage());
                }
                results[slot] = "R " + name[0] + " " + name[1] + " " + outcome;
            }, "storm-" + n);
            storm.add(t);
            t.start();
        }
        ready.await();
        probe.start();
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : storm) {
            t.join();
        }
        long stormMillis = (System.nanoTime() - start) / 1_000_000;
        storming.set(false);
        probe.join();
        for (String r : results) {
            Out.line(r);
        }
        Out.line("STORM lookups=" + names.size() + " ms=" + stormMillis);
        Out.line("PROBE loads=" + loads + " failures=" + loadFailures + " first=" + firstLoadFailure.get());
        Out.line("LOADED " + Class.forName("io.srvepmd.it.app.LookupStormMain$Afterwards").getName());
        Out.line("FDS baseline=" + baseFds + " peak=" + peakFds);
        Out.line("THREADS baseline=" + baseThreads + " peak=" + peakThreads + " storm=" + storm.size());

        // The agent's resolver threads end after being idle; wait for that (and the sockets), bounded.
        long deadline = System.nanoTime() + settleMillis * 1_000_000;
        while (true) {
            int fds = openFds();
            int threads = mx.getThreadCount();
            if (fds <= baseFds + IDLE_SOCKETS && threads <= baseThreads) {
                Out.line("SETTLED fds=" + fds + " threads=" + threads);
                break;
            }
            if (System.nanoTime() > deadline) {
                List<String> extra = new ArrayList<>();
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    extra.add(t.getName());
                }
                Out.line("UNSETTLED fds=" + fds + " threads=" + threads + " all=" + extra + " fd-targets="
                        + fdTargets());
                break;
            }
            Thread.sleep(100);
        }
        System.exit(0);
    }

    /** Open descriptors of this process, not counting the one that lists them. */
    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length - 1;
    }

    private static List<String> fdTargets() {
        List<String> out = new ArrayList<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds != null) {
            for (File f : fds) {
                try {
                    out.add(f.getName() + "->" + Files.readSymbolicLink(f.toPath()));
                } catch (IOException gone) {
                    // the directory's own descriptor, closed meanwhile
                }
            }
        }
        return out;
    }

    private static String openFileLimit() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/limits"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Max open files")) {
                return line.substring("Max open files".length()).trim().split("\\s+")[0];
            }
        }
        return "unknown";
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replace('\n', ' ').replace('\r', ' ');
    }

    /** Loaded again and again by the probe, each time from its class file. */
    static final class Probe {
    }

    /** Loaded once, after the storm. */
    static final class Afterwards {
    }
}
