package io.srvepmd.bench;

import com.ericsson.otp.erlang.OtpPeer;
import io.srvepmd.agent.BenchAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 200 threads look up one never-seen node at the same moment (a barrier releases them), through the
 * hooked lookupPort body; dnsmasq logs every question it receives, and the questions for that node
 * are counted per record type. Repeated for several fresh nodes; prints the worst round.
 */
public final class Coalescing {

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (Fixtures fx = new Fixtures()) {
            List<String> conf = new ArrayList<>();
            conf.add("local-ttl=5");
            for (int r = 0; r < rounds; r++) {
                String name = "storm-" + r + "." + Fixtures.DOMAIN;
                conf.add("srv-host=" + name + "," + name + "," + (4370 + r) + ",0,0");
                conf.add("host-record=" + name + ",127.0.0.1");
            }
            Path log = fx.work.resolve("queries.log");
            int dnsPort = fx.dnsmasq(conf, log);
            int worstSrv = 0;
            int worstAddr = 0;
            int failures = 0;
            try (BenchAgent agent = BenchAgent.create(Map.of("dns.servers", "127.0.0.1:" + dnsPort))) {
                for (int r = 0; r < rounds; r++) {
                    String node = "storm-" + r + "@" + Fixtures.DOMAIN;
                    CyclicBarrier barrier = new CyclicBarrier(threads);
                    AtomicInteger ok = new AtomicInteger();
                    List<Thread> all = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        Thread th = new Thread(() -> {
                            try {
                                OtpPeer peer = new OtpPeer(node);
                                barrier.await();
                                if (agent.lookupPort(peer) > 0) {
                                    ok.incrementAndGet();
                                }
                            } catch (Exception e) {
                                System.err.println("lookup failed: " + e);
                            }
                        });
                        all.add(th);
                        th.start();
                    }
                    for (Thread th : all) {
                        th.join();
                    }
                    failures += threads - ok.get();
                    Thread.sleep(300); // let dnsmasq write its log
                    String qname = "storm-" + r + "." + Fixtures.DOMAIN;
                    int srv = 0;
                    int addr = 0;
                    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                        if (line.contains("query[SRV] " + qname + " ")) {
                            srv++;
                        } else if (line.contains("query[A] " + qname + " ") || line.contains("query[AAAA] " + qname + " ")) {
                            addr++;
                        }
                    }
                    System.out.println("round " + r + ": " + ok.get() + "/" + threads + " lookups ok; questions at"
                            + " dnsmasq: SRV " + srv + ", A/AAAA " + addr);
                    worstSrv = Math.max(worstSrv, srv);
                    worstAddr = Math.max(worstAddr, addr);
                }
            }
            System.out.println("RESULT coalescing.srv " + worstSrv);
            System.out.println("RESULT coalescing.addr " + worstAddr);
            System.out.println("RESULT coalescing.failures " + failures);
            System.out.println("RESULT coalescing.threads " + threads);
        }
    }
}
