package io.srvepmd.bench;

import io.srvepmd.bench.child.ConnectLoop;
import io.srvepmd.bench.child.FirstContact;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end, with child JVMs: stock JInterface 1.13.1 + a real epmd + an Erlang node registered in
 * it, against the same programs with -javaagent + a real dnsmasq + an epmd-less Erlang node
 * (srv_epmd). Two unrecorded runs of each side come first. First contacts run on every JDK of
 * bench.jdks, stock and agent of each JDK in one alternating series (round i starts with side i mod
 * n); connection setup runs on this JVM's JDK, stock and agent alternating. Prints RESULT lines:
 * median, min, max per side; for first contacts wall time, CPU time (user + system) and peak RSS.
 *
 * <p>Properties: bench.agentJar (agent/target/srv-epmd-agent.jar), bench.childcp
 * (benchmarks/target/classes), bench.jinterface, bench.fixtures, bench.jdks ({@code LABEL=JAVA_HOME
 * ...}, e.g. {@code 17=/usr/lib/jvm/java-17-openjdk-amd64 25=/usr/lib/jvm/temurin-25-jdk-amd64};
 * default this JDK); args: firstContactReps connectReps [extra agent JVM option...].
 */
public final class EndToEnd {

    static final String JAVA = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";

    public static void main(String[] args) throws Exception {
        int fcReps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int connReps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> extraAgentOpts = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
        String agentJar = new File(System.getProperty("bench.agentJar", "agent/target/srv-epmd-agent.jar"))
                .getAbsolutePath();
        String cp = new File(System.getProperty("bench.childcp", "benchmarks/target/classes")).getAbsolutePath()
                + File.pathSeparator + Fixtures.JINTERFACE;
        try (Fixtures fx = new Fixtures()) {
            int epmdPort = fx.epmd();
            String stockErl = fx.erlangWithEpmd("e2e-stock", epmdPort);
            int distPort = Fixtures.freePort();
            String host = "e2e-erl." + Fixtures.DOMAIN;
            int dnsPort = fx.dnsmasq(List.of("local-ttl=5", "srv-host=" + host + "," + host + "," + distPort + ",0,0",
                    "host-record=" + host + ",127.0.0.1"), null);
            String agentErl = fx.erlangEpmdLess("e2e-erl", distPort, dnsPort);
            List<String> agentOpts = new ArrayList<>(List.of("-javaagent:" + agentJar,
                    "-Dsrvepmd.dns.servers=127.0.0.1:" + dnsPort));
            agentOpts.addAll(extraAgentOpts);

            // First contact: JVM start -> new OtpNode -> ping -> exit, on each JDK.
            List<Jdk> jdks = Jdk.parse(System.getProperty("bench.jdks", ""));
            List<Side> sides = new ArrayList<>();
            for (Jdk jdk : jdks) {
                sides.add(new Side(fx, jdk.java, cp, List.of(), Map.of(), "@127.0.0.1", stockErl, epmdPort));
                sides.add(new Side(fx, jdk.java, cp, agentOpts, Map.of(), "@" + Fixtures.DOMAIN, agentErl, 0));
            }
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < sides.size(); k++) {
                    sides.get(k).firstContact("fcw-" + k + "-" + i);
                }
            }
            for (int r = 0; r < fcReps; r++) {
                for (int k = 0; k < sides.size(); k++) {
                    int i = (r + k) % sides.size();
                    sides.get(i).firstContact("fc-" + i + "-" + r);
                }
            }
            for (int j = 0; j < jdks.size(); j++) {
                Side stockFc = sides.get(2 * j);
                Side agentFc = sides.get(2 * j + 1);
                String label = jdks.get(j).label;
                System.out.println("RESULT fc.jdk." + label + " " + jdks.get(j).version);
                report("fc.wall.ms." + label, stockFc.wallMs, agentFc.wallMs);
                report("fc.cpu.ms." + label, stockFc.cpuMs, agentFc.cpuMs);
                report("fc.rss.mib." + label, stockFc.rssMib, agentFc.rssMib);
            }
            System.out.println("RESULT fc.reps " + fcReps);

            Side stock = new Side(fx, cp, List.of(), Map.of(), "@127.0.0.1", stockErl, epmdPort);
            Side agent = new Side(fx, cp, agentOpts, Map.of(), "@" + Fixtures.DOMAIN, agentErl, 0);

            // Connection setup in one warm JVM.
            for (int i = 0; i < connReps; i++) {
                if (i % 2 == 0) {
                    stock.connect("cs-s" + i);
                    agent.connect("cs-a" + i);
                } else {
                    agent.connect("cs-a" + i);
                    stock.connect("cs-s" + i);
                }
            }
            report("conn.us", stock.connectUs, agent.connectUs);
            System.out.println("RESULT conn.reps " + connReps);
        }
    }

    static void report(String key, List<Double> stock, List<Double> agent) {
        System.out.println(String.format(Locale.ROOT, "RESULT %s %.2f %.2f %.2f %.2f %.2f %.2f", key,
                median(stock), min(stock), max(stock), median(agent), min(agent), max(agent)));
        System.out.println("  " + key + " stock " + stock);
        System.out.println("  " + key + " agent " + agent);
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static final class Side {
        final Fixtures fx;
        final String java;
        final String cp;
        final List<String> jvmOpts;
        final Map<String, String> env;
        final String hostSuffix;
        final String peer;
        final int epmdPort;
        final List<Double> wallMs = new ArrayList<>();
        final List<Double> rssMib = new ArrayList<>();
        final List<Double> connectUs = new ArrayList<>();
        /** CPU time (user + system, all threads) of each recorded first contact ({@link ChildCpu}). */
        final List<Double> cpuMs = new ArrayList<>();
        /**
         * Run the child under the command of bench.timeCommand (GNU time's options: {@code -f "%U %S" -o
         * FILE}) for its CPU time, instead of {@link ChildCpu}'s 10 ms ticks: a finer tool, for A/B series.
         */
        boolean timeCpu;

        Side(Fixtures fx, String cp, List<String> jvmOpts, Map<String, String> env, String hostSuffix, String peer,
                int epmdPort) {
            this(fx, JAVA, cp, jvmOpts, env, hostSuffix, peer, epmdPort);
        }

        Side(Fixtures fx, String java, String cp, List<String> jvmOpts, Map<String, String> env, String hostSuffix,
                String peer, int epmdPort) {
            this.fx = fx;
            this.java = java;
            this.cp = cp;
            this.jvmOpts = jvmOpts;
            this.env = env;
            this.hostSuffix = hostSuffix;
            this.peer = peer;
            this.epmdPort = epmdPort;
        }

        void firstContact(String alive) throws Exception {
            String[] out = run(FirstContact.class.getName(), alive, List.of());
            String[] words = out[0].trim().split("\\s+");
            if (!"PONG".equals(words[0])) {
                throw new IOException("first contact failed: " + out[0] + out[1]);
            }
            if (!alive.startsWith("fcw")) {
                wallMs.add(Double.parseDouble(out[2]));
                rssMib.add(Long.parseLong(words[2]) / 1024.0);
                if (timeCpu) {
                    String[] t = Files.readString(fx.work.resolve("child.time"), StandardCharsets.UTF_8).trim()
                            .split("\\s+");
                    cpuMs.add((Double.parseDouble(t[t.length - 2]) + Double.parseDouble(t[t.length - 1])) * 1000);
                } else {
                    cpuMs.add(Double.parseDouble(out[3]));
                }
            }
        }

        void connect(String alive) throws Exception {
            String[] out = run(ConnectLoop.class.getName(), alive, List.of("300", "1500"));
            String[] words = out[0].trim().split("\\s+");
            if (!"MEAN_US".equals(words[0]) || !"0".equals(words[3])) {
                throw new IOException("connect loop failed: " + out[0] + out[1]);
            }
            connectUs.add(Double.parseDouble(words[1]));
        }

        /** @return stdout, stderr, wall ms (process start to exit), CPU ms ({@link ChildCpu}) */
        String[] run(String main, String alive, List<String> more) throws Exception {
            List<String> cmd = new ArrayList<>();
            if (timeCpu) {
                cmd.addAll(List.of(System.getProperty("bench.timeCommand"), "-f", "%U %S", "-o",
                        fx.work.resolve("child.time").toString()));
            }
            cmd.add(java);
            cmd.addAll(jvmOpts);
            cmd.addAll(List.of("-cp", cp, main, alive + hostSuffix, peer, Fixtures.COOKIE,
                    Integer.toString(epmdPort)));
            cmd.addAll(more);
            Path out = fx.work.resolve("child.out");
            Path err = fx.work.resolve("child.err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            pb.environment().put("ERL_DIST_PORT", Integer.toString(Fixtures.freePort()));
            double cpu0 = ChildCpu.reapedMillis();
            long t0 = System.nanoTime();
            Process p = pb.start();
            int rc = p.waitFor();
            long t1 = System.nanoTime();
            double cpu = ChildCpu.reapedMillis() - cpu0;
            String o = Files.readString(out, StandardCharsets.UTF_8);
            String e = Files.readString(err, StandardCharsets.UTF_8);
            if (rc != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + rc + ":\n" + o + e);
            }
            return new String[] {o, e, Double.toString((t1 - t0) / 1e6), Double.toString(cpu)};
        }
    }
}
