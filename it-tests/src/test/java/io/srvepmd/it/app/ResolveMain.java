package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpPeer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ordinary JInterface program that resolves and connects step by step, for
 * the resolution scenarios (failover, stale answers, moved nodes, coalescing).
 * Usage: {@code ResolveMain COOKIE STEP...}. Steps, in order:
 * <ul>
 * <li>{@code connect:PEER} - a new {@code OtpConnection} from a fresh helper-named
 *     {@code OtpSelf} ({@code rpc-probe-N@probe.test}, ephemeral port), an rpc of
 *     {@code erlang:node()}, then close ({@link Probe}); {@code CONNECT PEER ok MS} or
 *     {@code CONNECT PEER failed MS class: message}</li>
 * <li>{@code connect-n:PEER:N} - {@code connect:PEER} N times, then
 *     {@code CONNECTS PEER ok=K failed=F}</li>
 * <li>{@code storm:PEER:N} - N threads, released together, each calling
 *     {@code OtpEpmd.lookupPort(new OtpPeer(PEER))}; {@code STORM PEER ok=K failed=F ports=[..]}
 *     and {@code STORM-ERROR message} for each distinct failure</li>
 * <li>{@code lookup:PEER} - {@code OtpEpmd.lookupPort(new OtpPeer(PEER))} called directly, as a
 *     program polling for a node does: {@code LOOKUP PEER port} (0: not registered) or
 *     {@code LOOKUP PEER failed class: message}</li>
 * <li>{@code names} - {@code OtpEpmd.lookupNames()}: {@code NAMES-COUNT n}, then
 *     {@code NAMES-LINE line} for each line</li>
 * <li>{@code await} - prints {@code AWAITING} and blocks until a line arrives on stdin</li>
 * <li>{@code mbean-servers} - {@code MBEAN-SERVERS n}: how many MBean servers exist (none, unless
 *     someone started one: the agent never does)</li>
 * <li>{@code jmx} - starts the platform MBean server, as any JMX client does, waits for the agent's
 *     MBeans and prints {@code JMX NAME ATTRIBUTE=VALUE} for every attribute of each</li>
 * <li>{@code jmx-invalidate:NODE} - the agent MBean's {@code invalidate(NODE)}; {@code JMX-INVALIDATED NODE}</li>
 * <li>{@code jmx-cache} - the agent MBean's {@code describeCache()}: {@code JMX-CACHE line} each</li>
 * </ul>
 * A failing step does not stop the next; the exit status is 0 when all steps ran.
 */
public final class ResolveMain {

    private static final BufferedReader STDIN = new BufferedReader(new InputStreamReader(System.in,
            StandardCharsets.UTF_8));

    private ResolveMain() {
    }

    public static void main(String[] args) throws Exception {
        String cookie = args[0];
        for (String step : Arrays.asList(args).subList(1, args.length)) {
            String[] a = step.split(":");
            switch (a[0]) {
                case "connect":
                    Probe.connect(cookie, a[1]);
                    break;
                case "connect-n": {
                    int ok = 0;
                    int n = Integer.parseInt(a[2]);
                    for (int i = 0; i < n; i++) {
                        ok += Probe.connect(cookie, a[1]) ? 1 : 0;
                    }
                    Out.line("CONNECTS " + a[1] + " ok=" + ok + " failed=" + (n - ok));
                    break;
                }
                case "storm":
                    storm(a[1], Integer.parseInt(a[2]));
                    break;
                case "lookup":
                    try {
                        Out.line("LOOKUP " + a[1] + " " + OtpEpmd.lookupPort(new OtpPeer(a[1])));
                    } catch (Exception e) {
                        Out.line("LOOKUP " + a[1] + " failed " + e.getClass().getName() + ": " + e.getMessage());
                    }
                    break;
                case "names":
                    try {
                        String[] names = OtpEpmd.lookupNames();
                        Out.line("NAMES-COUNT " + names.length);
                        for (String n : names) {
                            Out.line("NAMES-LINE " + n.trim());
                        }
                    } catch (Exception e) {
                        Out.error(e);
                    }
                    break;
                case "await":
                    Out.line("AWAITING");
                    STDIN.readLine();
                    break;
                case "mbean-servers":
                    Out.line("MBEAN-SERVERS " + javax.management.MBeanServerFactory.findMBeanServer(null).size());
                    break;
                case "jmx":
                    Jmx.printAgentMBeans();
                    break;
                case "jmx-invalidate":
                    Jmx.invalidate(a[1]);
                    break;
                case "jmx-cache":
                    Jmx.printCache();
                    break;
                default:
                    throw new IllegalArgumentException("unknown step " + step);
            }
        }
        System.exit(0);
    }

    private static void storm(String peer, int threads) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        TreeSet<Integer> ports = new TreeSet<>();
        TreeSet<String> errors = new TreeSet<>();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    OtpPeer p = new OtpPeer(peer);
                    ready.countDown();
                    go.await();
                    int port = OtpEpmd.lookupPort(p);
                    synchronized (ports) {
                        ports.add(port);
                    }
                    ok.incrementAndGet();
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e.getClass().getName() + ": " + e.getMessage());
                    }
                }
            }, "storm-" + i);
            all.add(t);
            t.start();
        }
        ready.await();
        go.countDown();
        for (Thread t : all) {
            t.join();
        }
        Out.line("STORM " + peer + " ok=" + ok.get() + " failed=" + (threads - ok.get()) + " ports=" + ports);
        for (String e : errors) {
            Out.line("STORM-ERROR " + e);
        }
    }
}
