package io.srvepmd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the one table from a run's outputs: jmh.csv (JMH, -rf csv) and the RESULT lines of
 * coalescing.txt, heap.txt and e2e.txt. JMH figures: mean ± 99.9% error; harness figures:
 * median [min–max] over the repetitions.
 */
public final class Report {

    private final Map<String, double[]> jmh = new HashMap<>();
    private final Map<String, String[]> results = new LinkedHashMap<>();

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Report r = new Report();
        r.readJmh(dir.resolve("jmh.csv"));
        for (String f : List.of("coalescing.txt", "heap.txt", "e2e.txt", "tls.txt")) {
            r.readResults(dir.resolve(f));
        }
        r.print();
    }

    private void readJmh(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return;
        }
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            if (f.length < 7 || f[0].contains("\"Benchmark\"")) {
                continue;
            }
            String name = f[0].replace("\"", "");
            name = name.substring(name.lastIndexOf('.') + 1);
            jmh.put(name, new double[] {Double.parseDouble(f[4]), parse(f[5])});
        }
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private void readResults(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("RESULT ")) {
                String[] f = line.substring(7).trim().split("\\s+");
                results.put(f[0], f);
            }
        }
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private String jmhCell(String bench) {
        double[] v = jmh.get(bench);
        if (v == null) {
            return "not run";
        }
        return Double.isNaN(v[1]) ? fmt("%.2f µs", v[0]) : fmt("%.2f ± %.2f µs", v[0], v[1]);
    }

    private String side(String key, int offset, String unit) {
        String[] f = results.get(key);
        if (f == null) {
            return "not run";
        }
        return fmt("%s %s [%s–%s]", f[1 + offset], unit, f[2 + offset], f[3 + offset]);
    }

    private double num(String key, int index) {
        String[] f = results.get(key);
        return f == null ? Double.NaN : Double.parseDouble(f[index]);
    }

    private static String met(boolean ok, double value) {
        return Double.isNaN(value) ? "?" : ok ? "yes" : "**NO**";
    }

    private void print() {
        System.out.println("| measure | stock | agent | ratio | target | met? |");
        System.out.println("|---|---|---|---|---|---|");
        double stockLookup = jmh.containsKey("stockLookupPort") ? jmh.get("stockLookupPort")[0] : Double.NaN;
        double uncached = jmh.containsKey("agentLookupPortUncached") ? jmh.get("agentLookupPortUncached")[0] : Double.NaN;
        double cached = jmh.containsKey("agentLookupPortCached") ? jmh.get("agentLookupPortCached")[0] : Double.NaN;
        double r1 = uncached / stockLookup;
        double r2 = cached / stockLookup;
        row("first lookup of a node, uncached (JMH, µs/op)", jmhCell("stockLookupPort"),
                jmhCell("agentLookupPortUncached"), fmt("%.2f×", r1), "≤ 1.0×", met(r1 <= 1.0, r1));
        double floor = jmh.containsKey("udpFloor") ? jmh.get("udpFloor")[0] : Double.NaN;
        row("floor for an uncached lookup: one plain UDP question and answer to the same dnsmasq, no codec"
                + " (JMH, µs/op)", "—", jmhCell("udpFloor"), fmt("uncached lookup = %.2f× the floor", uncached / floor),
                "uncached ≤ 1.15× floor", met(uncached / floor <= 1.15, uncached / floor));
        double viaUnbound = jmh.containsKey("agentLookupPortViaUnbound") ? jmh.get("agentLookupPortViaUnbound")[0]
                : Double.NaN;
        double unboundFloor = jmh.containsKey("udpFloorViaUnbound") ? jmh.get("udpFloorViaUnbound")[0] : Double.NaN;
        row("uncached lookup through Unbound, a caching resolver in front of the same dnsmasq (minimal responses:"
                + " SRV, then A and AAAA together; JMH, µs/op)", jmhCell("stockLookupPort"),
                jmhCell("agentLookupPortViaUnbound"), fmt("%.2f× stock; %.2f× the direct uncached lookup",
                        viaUnbound / stockLookup, viaUnbound / uncached), "—", "—");
        row("floor through Unbound: one plain UDP question and answer to the same Unbound, no codec (JMH, µs/op)",
                "—", jmhCell("udpFloorViaUnbound"), fmt("lookup through Unbound = %.2f× this floor",
                        viaUnbound / unboundFloor), "—", "—");
        row("dns-srv resolver alone, no agent core (JMH, µs/op): direct with the address in the additional"
                + " section / direct, A and AAAA asked / through Unbound", "—", jmhCell("resolverDirect") + " / "
                + jmhCell("resolverDirectAddressQuestions") + " / " + jmhCell("resolverViaUnbound"), "—", "—", "—");
        row("repeated lookup, cached (JMH, µs/op)", jmhCell("stockLookupPort"), jmhCell("agentLookupPortCached"),
                fmt("%.3f×", r2), "≤ 0.05×", met(r2 <= 0.05, r2));
        double cs = num("conn.us", 1);
        double ca = num("conn.us", 4);
        row("connection setup Java → Erlang, lookup + handshake (µs, median [min–max] of " + repsOf("conn.reps")
                + " JVMs)", side("conn.us", 0, "µs"), side("conn.us", 3, "µs"), fmt("%.2f×", ca / cs), "≤ 1.0×",
                met(ca / cs <= 1.0, ca / cs));
        tlsRows();
        for (String label : jdkLabels()) {
            firstContactRows(label);
        }
        double srv = num("coalescing.srv", 1);
        double addr = num("coalescing.addr", 1);
        row(fmt("%.0f threads look up one never-seen node at once (questions at dnsmasq, worst of 5)",
                num("coalescing.threads", 1)), "— (one epmd request per lookup)",
                fmt("SRV %.0f, A/AAAA %.0f (count), %.0f failed lookups", srv, addr, num("coalescing.failures", 1)),
                "—", "1 question per record type", met(srv <= 1 && addr <= 1, srv));
        double list = jmh.containsKey("agentListing1000") ? jmh.get("agentListing1000")[0] / 1000.0 : Double.NaN;
        row("SRV set of 1,000 nodes: listing (JMH, ms/op)",
                jmh.containsKey("stockLookupNames") ? jmhCell("stockLookupNames") + " (epmd NAMES, 1 node; context)"
                        : "not run",
                Double.isNaN(list) ? "not run" : fmt("%.2f ms", list), "—", "≤ 50 ms", met(list <= 50, list));
        double heap = num("heap.mib", 1);
        row("100,000 cached nodes: retained heap", "— (epmd keeps nothing in the JVM)", fmt("%.1f MiB", heap), "—",
                "≤ 64 MiB", met(heap <= 64, heap));
    }

    /** Connection setup with mutual TLS: against OTP's own inet_tls, and what TLS adds to the agent's plain TCP. */
    private void tlsRows() {
        String vsErlang = "tls.conn.us.erlang-tls/agent-tls";
        String vsPlain = "tls.conn.us.agent-plain/agent-tls";
        String reps = repsOf("tls.conn.reps");
        double erl = num(vsErlang, 1);
        double tls = num(vsErlang, 4);
        row("connection setup with mutual TLS, lookup + TCP + TLS + distribution handshake: Erlang → Erlang"
                + " (inet_tls) vs Java with the agent → Erlang (µs, median [min–max] of " + reps + " JVMs / VMs)",
                side(vsErlang, 0, "µs"), side(vsErlang, 3, "µs"), fmt("%.2f×", tls / erl), "≤ 1.1×",
                met(tls / erl <= 1.1, tls / erl));
        double plain = num(vsPlain, 1);
        row("what TLS adds to the agent's connection setup: plain TCP (stock column) vs TLS (agent column),"
                + " same run (µs)", side(vsPlain, 0, "µs"), side(vsPlain, 3, "µs"),
                fmt("%.2f× (%+.0f µs)", num(vsPlain, 4) / plain, num(vsPlain, 4) - plain), "—", "—");
    }

    /** @return the labels of the JDKs the first contacts ran on (RESULT fc.jdk.LABEL VERSION), in run order */
    private List<String> jdkLabels() {
        List<String> labels = new ArrayList<>();
        for (String key : results.keySet()) {
            if (key.startsWith("fc.jdk.")) {
                labels.add(key.substring("fc.jdk.".length()));
            }
        }
        return labels;
    }

    /** Wall time (the target), CPU time and peak RSS of the first contact on one JDK. */
    private void firstContactRows(String label) {
        String[] jdk = results.get("fc.jdk." + label);
        String on = "first contact on JDK " + String.join(" ", java.util.Arrays.asList(jdk).subList(1, jdk.length));
        String wall = "fc.wall.ms." + label;
        double ws = num(wall, 1);
        double wa = num(wall, 4);
        row(on + ": JVM start → node → ping → exit, wall (ms, median [min–max] of " + repsOf("fc.reps") + ")",
                side(wall, 0, "ms"), side(wall, 3, "ms"), fmt("%.2f×", wa / ws), "≤ 1.4×",
                met(wa / ws <= 1.4, wa / ws));
        String cpu = "fc.cpu.ms." + label;
        double cs = num(cpu, 1);
        double ca = num(cpu, 4);
        row(on + ": CPU time, user + system, all threads (ms, 10 ms ticks)", side(cpu, 0, "ms"), side(cpu, 3, "ms"),
                fmt("%.2f× (%+.0f ms)", ca / cs, ca - cs), "—", "—");
        String rss = "fc.rss.mib." + label;
        double ms = num(rss, 1);
        double ma = num(rss, 4);
        row(on + ": peak RSS (VmHWM, MiB)", side(rss, 0, "MiB"), side(rss, 3, "MiB"),
                fmt("%+.1f MiB (%.2f×)", ma - ms, ma / ms), "≤ +8 MiB", met(ma - ms <= 8, ma - ms));
    }

    private String repsOf(String key) {
        String[] f = results.get(key);
        return f == null ? "?" : f[1];
    }

    private static void row(String... cells) {
        System.out.println("| " + String.join(" | ", cells) + " |");
    }
}
