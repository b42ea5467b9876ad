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
 * (srv_epmd). Stock and agent runs alternate (the order flips every repetition); two unrecorded
 * runs of each come first. Prints RESULT lines: median, min, max per side.
 *
 * <p>Properties: bench.agentJar (agent/target/srv-epmd-agent.jar), bench.childcp
 * (benchmarks/target/classes), bench.jinterface, bench.fixtures; args: firstContactReps connectReps
 * [extra agent JVM option...].
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
            Side stock = new Side(fx, cp, List.of(), Map.of(), "@127.0.0.1", stockErl, epmdPort);
            List<String> agentOpts = new ArrayList<>(List.of("-javaagent:" + agentJar,
                    "-Dsrvepmd.dns.servers=127.0.0.1:" + dnsPort));
            agentOpts.addAll(extraAgentOpts);
            Side agent = new Side(fx, cp, agentOpts, Map.of(), "@" + Fixtures.DOMAIN, agentErl, 0);

            // First contact: JVM start -> new OtpNode -> ping -> exit.
            for (int i = 0; i < 2; i++) {
                stock.firstContact("fcw-s" + i);
                agent.firstContact("fcw-a" + i);
            }
            for (int i = 0; i < fcReps; i++) {
                if (i % 2 == 0) {
                    stock.firstContact("fc-s" + i);
                    agent.firstContact("fc-a" + i);
                } else {
                    agent.firstContact("fc-a" + i);
                    stock.firstContact("fc-s" + i);
                }
            }
            report("fc.wall.ms", stock.wallMs, agent.wallMs);
            report("fc.rss.mib", stock.rssMib, agent.rssMib);
            System.out.println("RESULT fc.reps " + fcReps);

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
        /** CPU time (user + system) of each recorded first contact, when {@link #timeCpu} is set. */
        final List<Double> cpuMs = new ArrayList<>();
        /** Run the child under GNU time to read its CPU time (the A/B series; not the table's runs). */
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

        /** @return stdout, stderr, wall ms (process start to exit) */
        String[] run(String main, String alive, List<String> more) throws Exception {
            List<String> cmd = new ArrayList<>();
            if (timeCpu) {
                // GNU time (10 ms resolution), or any command taking the same options (bench.timeCommand)
                cmd.addAll(List.of(System.getProperty("bench.timeCommand", "/usr/bin/time"), "-f", "%U %S", "-o",
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
            long t0 = System.nanoTime();
            Process p = pb.start();
            int rc = p.waitFor();
            long t1 = System.nanoTime();
            String o = Files.readString(out, StandardCharsets.UTF_8);
            String e = Files.readString(err, StandardCharsets.UTF_8);
            if (rc != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + rc + ":\n" + o + e);
            }
            return new String[] {o, e, Double.toString((t1 - t0) / 1e6)};
        }
    }
}
