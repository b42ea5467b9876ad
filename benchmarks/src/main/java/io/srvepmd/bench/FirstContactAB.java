package io.srvepmd.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A/B series of first contacts (JVM start → new OtpNode → ping → exit) for any number of variants,
 * alternating in one run: round i runs every variant once, starting with variant i mod n, so no
 * variant always runs first or after the same neighbour. One unrecorded round comes first.
 *
 * <p>Args: {@code reps variant...}; a variant is {@code name=OPTIONS}, OPTIONS space-separated JVM
 * options. {@code name=stock [OPTIONS]} is stock JInterface against a real epmd (only then is an epmd
 * started), e.g. {@code empty=stock -javaagent:empty.jar} for the price of any agent; every other
 * variant talks to the epmd-less Erlang node through dnsmasq, with {@code -Dsrvepmd.dns.servers} added. A first option {@code @JAVA_HOME} picks another JDK, e.g.
 * {@code cds25=@/usr/lib/jvm/temurin-25-jdk-amd64 -XX:SharedArchiveFile=/tmp/a.jsa -XX:+AutoCreateSharedArchive}.
 * A bare {@code stock} option list may carry options too: {@code stock-cds=stock -XX:SharedArchiveFile=...}.
 * Each child's CPU time (user + system, all threads), which a loaded machine disturbs less than the
 * wall time, comes from {@link ChildCpu} (10 ms ticks), or from the command bench.timeCommand names
 * (GNU time's options {@code -f "%U %S" -o FILE}; e.g. a wrapper around {@code perf stat -e task-clock}
 * for finer figures). Properties as for {@link EndToEnd}. Prints one RESULT line per variant: wall
 * ms, CPU ms and peak RSS MiB, median [min-max].
 */
public final class FirstContactAB {

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]);
        Map<String, String> specs = new LinkedHashMap<>();
        for (String a : Arrays.asList(args).subList(1, args.length)) {
            int eq = a.indexOf('=');
            specs.put(a.substring(0, eq), a.substring(eq + 1).trim());
        }
        String cp = new File(System.getProperty("bench.childcp", "benchmarks/target/classes")).getAbsolutePath()
                + File.pathSeparator + Fixtures.JINTERFACE;
        boolean needsEpmd = false;
        for (String spec : specs.values()) {
            needsEpmd |= isStock(spec);
        }
        try (Fixtures fx = new Fixtures()) {
            int epmdPort = 0;
            String stockErl = null;
            if (needsEpmd) {
                epmdPort = fx.epmd();
                stockErl = fx.erlangWithEpmd("ab-stock", epmdPort);
            }
            int distPort = Fixtures.freePort();
            String host = "ab-erl." + Fixtures.DOMAIN;
            int dnsPort = fx.dnsmasq(List.of("local-ttl=5", "srv-host=" + host + "," + host + "," + distPort + ",0,0",
                    "host-record=" + host + ",127.0.0.1"), null);
            String agentErl = fx.erlangEpmdLess("ab-erl", distPort, dnsPort);
            List<String> names = new ArrayList<>(specs.keySet());
            List<EndToEnd.Side> sides = new ArrayList<>();
            for (String name : names) {
                List<String> opts = new ArrayList<>(Arrays.asList(specs.get(name).split("\\s+")));
                String java = EndToEnd.JAVA;
                if (!opts.isEmpty() && opts.get(0).startsWith("@")) {
                    java = opts.remove(0).substring(1) + "/bin/java";
                }
                opts.removeIf(o -> o.isEmpty() || o.equals("stock"));
                if (isStock(specs.get(name))) {
                    sides.add(new EndToEnd.Side(fx, java, cp, opts, Map.of(), "@127.0.0.1", stockErl, epmdPort));
                } else {
                    opts.add("-Dsrvepmd.dns.servers=127.0.0.1:" + dnsPort);
                    sides.add(new EndToEnd.Side(fx, java, cp, opts, Map.of(), "@" + Fixtures.DOMAIN, agentErl, 0));
                }
            }
            for (EndToEnd.Side s : sides) {
                s.timeCpu = System.getProperty("bench.timeCommand") != null;
            }
            int n = sides.size();
            for (int i = 0; i < n; i++) {
                sides.get(i).firstContact("fcw-" + i);
            }
            for (int r = 0; r < reps; r++) {
                for (int k = 0; k < n; k++) {
                    int i = (r + k) % n;
                    sides.get(i).firstContact("ab" + r + "-" + i);
                }
            }
            for (int i = 0; i < n; i++) {
                EndToEnd.Side s = sides.get(i);
                System.out.println(String.format(Locale.ROOT,
                        "RESULT %-10s wall %.1f [%.1f-%.1f] cpu %.0f [%.0f-%.0f] rss %.1f [%.1f-%.1f]",
                        names.get(i), EndToEnd.median(s.wallMs), EndToEnd.min(s.wallMs), EndToEnd.max(s.wallMs),
                        EndToEnd.median(s.cpuMs), EndToEnd.min(s.cpuMs), EndToEnd.max(s.cpuMs),
                        EndToEnd.median(s.rssMib), EndToEnd.min(s.rssMib), EndToEnd.max(s.rssMib)));
                System.out.println("  " + names.get(i) + " wall " + s.wallMs);
            }
        }
    }

    private static boolean isStock(String spec) {
        return spec.equals("stock") || spec.startsWith("stock ") || spec.startsWith("@") && spec.contains(" stock");
    }
}
