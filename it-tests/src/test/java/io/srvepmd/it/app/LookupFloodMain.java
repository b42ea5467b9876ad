package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A peer that names ever new nodes: an ordinary JInterface program calling
 * {@code self.connect(new OtpPeer(name))} for COUNT distinct names
 * {@code flood-I@HOST} on THREADS threads, then measuring the heap it retains.
 * Usage: {@code LookupFloodMain COUNT THREADS HOST}. Prints
 * <ul>
 * <li>{@code FLOOD count=N answered=A ioexceptions=E named=M other=O oom=X ms=T}:
 *     how the lookups ended ({@code named}: IOExceptions whose message names the
 *     node looked up; {@code other}: anything not an IOException, OutOfMemoryError
 *     counted apart as {@code oom})</li>
 * <li>{@code FLOOD-FIRST message} (the first IOException) and
 *     {@code FLOOD-OTHER class: message} (each distinct other throwable)</li>
 * <li>{@code HEAP used-after-gc=BYTES max=BYTES}: heap in use after {@code System.gc()},
 *     read from the MemoryMXBean</li>
 * </ul>
 * Exit status 0 when it got that far.
 */
public final class LookupFloodMain {

    private LookupFloodMain() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        String host = args[2];
        OtpSelf self = new OtpSelf("flood-self@" + host, "flood-cookie");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger ioexceptions = new AtomicInteger();
        AtomicInteger named = new AtomicInteger();
        AtomicInteger oom = new AtomicInteger();
        AtomicReference<String> first = new AtomicReference<>();
        Map<String, Integer> other = new TreeMap<>();
        long start = System.nanoTime();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String node = "flood-" + i + "@" + host;
                    try {
                        self.connect(new OtpPeer(node)).close();
                        answered.incrementAndGet();
                    } catch (IOException e) {
                        ioexceptions.incrementAndGet();
                        String message = String.valueOf(e.getMessage());
                        if (message.contains(node)) {
                            named.incrementAndGet();
                        }
                        first.compareAndSet(null, message);
                    } catch (OutOfMemoryError e) {
                        oom.incrementAndGet();
                    } catch (Throwable e) {
                        synchronized (other) {
                            other.merge(e.getClass().getName() + ": " + e.getMessage(), 1, Integer::sum);
                        }
                    }
                }
            }, "flood-" + t);
            all.add(thread);
            thread.start();
        }
        for (Thread thread : all) {
            thread.join();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        int others;
        synchronized (other) {
            others = other.values().stream().mapToInt(Integer::intValue).sum();
        }
        Out.line("FLOOD count=" + count + " answered=" + answered + " ioexceptions=" + ioexceptions + " named="
                + named + " other=" + others + " oom=" + oom + " ms=" + millis);
        Out.line("FLOOD-FIRST " + first.get());
        synchronized (other) {
            other.forEach((what, n) -> Out.line("FLOOD-OTHER " + n + "x " + what));
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        java.lang.management.MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Out.line("HEAP used-after-gc=" + heap.getUsed() + " max=" + heap.getMax());
        System.exit(0);
    }
}
