package io.srvepmd.bench;

import io.srvepmd.bench.child.SoakLoad;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak (scripts/soak.sh): an ordinary JInterface program ({@link SoakLoad}) runs with
 * -javaagent in a child JVM for the given minutes, connecting and disconnecting all the time to
 * three epmd-less Erlang nodes found through a real dnsmasq, while this program, every
 * {@value #CYCLE_S} s, stops dnsmasq for {@value #OUTAGE_S} s (stale answers must carry every
 * connection through) and moves a node (restarted on a new port, its SRV record changed). Every
 * interval it prints the child's heap used after a full GC, open file descriptors, live threads,
 * loaded classes and operations; at the end, a verdict ({@link SoakVerdict}); exit status 1 when
 * not flat, or when an operation failed while DNS was down.
 *
 * <p>Properties: bench.agentJar, bench.childcp, bench.jinterface, bench.fixtures (as
 * {@link EndToEnd}), soak.interval (seconds, 30), soak.pause (ms each load thread waits between
 * operations, 20). Args: minutes (30).
 */
public final class Soak {

    static final int CYCLE_S = 180;
    static final int OUTAGE_AT_S = 60;
    static final int OUTAGE_S = 40;
    static final int MOVE_AT_S = 130;
    /** How long after a move its failures are counted as the move's (the node's restart included). */
    static final int SETTLE_S = 15;
    private static final String[] ALIVE = {"soak-a", "soak-b", "soak-c"};

    private final Fixtures fx;
    private final int[] ports = new int[ALIVE.length];
    private final List<SoakVerdict.Sample> samples = new ArrayList<>();
    private final PrintStream out = System.out;
    private int dnsPort;
    private Child child;
    private long start;
    private String phase = "normal";
    private long[] phaseStart;
    private long outageFailures;
    private long outageOps;
    private long moveFailures;
    private int outages;
    private int moves;

    private Soak(Fixtures fx) {
        this.fx = fx;
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int interval = Integer.getInteger("soak.interval", 30);
        int pauseMs = Integer.getInteger("soak.pause", 20);
        boolean ok;
        try (Fixtures fx = new Fixtures()) {
            ok = new Soak(fx).run(minutes, interval, pauseMs);
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean run(int minutes, int interval, int pauseMs) throws Exception {
        for (int i = 0; i < ALIVE.length; i++) {
            ports[i] = Fixtures.freePort();
        }
        dnsPort = fx.dnsmasq(records(), null);
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < ALIVE.length; i++) {
            nodes.add(fx.erlangEpmdLess(ALIVE[i], ports[i], dnsPort));
        }
        child = startChild(nodes, pauseMs);
        out.printf(Locale.ROOT, "soak: %d min from %s, a sample every %d s; every %d s dnsmasq stops for %d s"
                + " (from %d s into the cycle) and a node moves (at %d s); load threads pause %d ms%n", minutes,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), interval, CYCLE_S, OUTAGE_S, OUTAGE_AT_S, MOVE_AT_S,
                pauseMs);
        out.println("   time  heap MiB   fds  threads  classes        ok  failed   ghosts (dns down)  phase");
        start = System.nanoTime();
        long end = minutes * 60_000L;
        for (Event e : schedule(end, interval * 1000L)) {
            sleepUntil(e.atMs);
            e.kind.run(this);
        }
        String stopped = child.ask("stop", "STOPPED");
        out.println("child: " + stopped.toLowerCase(Locale.ROOT) + " (operations ok, failed)");
        long failed = Long.parseLong(stopped.split(" ")[2]);
        SoakVerdict verdict = new SoakVerdict(samples, warmupMs(end, interval));
        return verdict.print(out, outages, outageOps, outageFailures, moves, moveFailures,
                failed - outageFailures - moveFailures);
    }

    /** A sixth of the run, at least two intervals: the JIT, the caches and the pools fill up first. */
    static long warmupMs(long endMs, int intervalS) {
        return Math.max(endMs / 6, 2_000L * intervalS);
    }

    private Child startChild(List<String> nodes, int pauseMs) throws IOException {
        String agentJar = new File(System.getProperty("bench.agentJar", "agent/target/srv-epmd-agent.jar"))
                .getAbsolutePath();
        String cp = new File(System.getProperty("bench.childcp", "benchmarks/target/classes")).getAbsolutePath()
                + File.pathSeparator + Fixtures.JINTERFACE;
        List<String> cmd = new ArrayList<>(List.of(EndToEnd.JAVA, "-Xms64m", "-Xmx256m", "-javaagent:" + agentJar,
                "-Dsrvepmd.dns.servers=127.0.0.1:" + dnsPort, "-cp", cp, SoakLoad.class.getName(), Fixtures.COOKIE,
                Integer.toString(pauseMs)));
        cmd.addAll(nodes);
        File err = fx.work.resolve("soak-child.err").toFile();
        out.println("child's failures: " + err);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err);
        pb.environment().put("ERL_DIST_PORT", Integer.toString(Fixtures.freePort())); // the messenger's
        Child c = new Child(fx.child(pb));
        c.expect("READY");
        return c;
    }

    private List<String> records() {
        // Authoritative for the domain: a name it does not know is NXDOMAIN (not REFUSED, an outage).
        List<String> lines = new ArrayList<>(List.of("local-ttl=5", "local=/" + Fixtures.DOMAIN + "/"));
        for (int i = 0; i < ALIVE.length; i++) {
            String host = ALIVE[i] + "." + Fixtures.DOMAIN;
            lines.add("srv-host=" + host + "," + host + "," + ports[i] + ",0,0");
            lines.add("host-record=" + host + ",127.0.0.1");
        }
        return lines;
    }

    // The events, in the order of the schedule.

    private void sample() throws IOException {
        String[] f = child.ask("sample", "SAMPLE").split(" ");
        SoakVerdict.Sample s = new SoakVerdict.Sample(elapsedMs(), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3]), Long.parseLong(f[4]));
        samples.add(s);
        out.printf(Locale.ROOT, "%6ds  %8.2f  %4d  %7d  %7d  %8s  %6s  %7s  %6s  %s%n", s.atMs / 1000,
                s.heapBytes / 1048576.0, s.fds, s.threads, s.classes, f[5], f[6], f[7], f[8], phase);
    }

    private void outageStarts() throws Exception {
        phaseStart = child.counts();
        fx.stopDnsmasq(dnsPort);
        phase = "dns down";
    }

    private void outageEnds() throws Exception {
        long[] now = child.counts();
        fx.restartDnsmasq(dnsPort, records());
        outages++;
        outageOps += now[0] + now[1] - phaseStart[0] - phaseStart[1];
        outageFailures += now[1] - phaseStart[1];
        phase = "normal";
        out.printf(Locale.ROOT, "%6ds  dnsmasq back after %d s down: %d operations meanwhile, %d failed%n",
                elapsedMs() / 1000, OUTAGE_S, now[0] + now[1] - phaseStart[0] - phaseStart[1],
                now[1] - phaseStart[1]);
    }

    private void moveANode() throws Exception {
        phaseStart = child.counts();
        int i = moves % ALIVE.length;
        String node = ALIVE[i] + "@" + Fixtures.DOMAIN;
        int from = ports[i];
        fx.stopErlang(node);
        ports[i] = Fixtures.freePort();
        fx.erlangEpmdLess(ALIVE[i], ports[i], dnsPort);
        fx.restartDnsmasq(dnsPort, records());
        moves++;
        phase = "moved " + ALIVE[i];
        out.printf(Locale.ROOT, "%6ds  %s restarted on port %d (was %d), its SRV record changed%n",
                elapsedMs() / 1000, node, ports[i], from);
    }

    private void moveSettled() throws IOException {
        long[] now = child.counts();
        moveFailures += now[1] - phaseStart[1];
        out.printf(Locale.ROOT, "%6ds  %d operations failed during the move and the %d s after it%n",
                elapsedMs() / 1000, now[1] - phaseStart[1], SETTLE_S);
        phase = "normal";
    }

    private long elapsedMs() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void sleepUntil(long atMs) throws InterruptedException {
        long left = atMs - elapsedMs();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    /** What happens when: samples every interval, and each cycle's outage and move, within the run. */
    static List<Event> schedule(long endMs, long intervalMs) {
        List<Event> events = new ArrayList<>();
        for (long t = intervalMs; t <= endMs; t += intervalMs) {
            events.add(new Event(t, Soak::sample));
        }
        for (long c = 0; c * CYCLE_S * 1000L < endMs; c++) {
            long base = c * CYCLE_S * 1000L;
            if (base + (MOVE_AT_S + SETTLE_S) * 1000L < endMs) {
                events.add(new Event(base + OUTAGE_AT_S * 1000L, Soak::outageStarts));
                events.add(new Event(base + (OUTAGE_AT_S + OUTAGE_S) * 1000L, Soak::outageEnds));
                events.add(new Event(base + MOVE_AT_S * 1000L, Soak::moveANode));
                events.add(new Event(base + (MOVE_AT_S + SETTLE_S) * 1000L, Soak::moveSettled));
            }
        }
        events.sort((a, b) -> Long.compare(a.atMs, b.atMs));
        return events;
    }

    interface Action {
        void run(Soak soak) throws Exception;
    }

    static final class Event {
        final long atMs;
        final Action kind;

        Event(long atMs, Action kind) {
            this.atMs = atMs;
            this.kind = kind;
        }
    }

    /** The child JVM, driven by one-line commands on its stdin, answering one line each on stdout. */
    private static final class Child {
        private final Process process;
        private final BufferedReader lines;

        Child(Process process) {
            this.process = process;
            this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String ask(String command, String answer) throws IOException {
            process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            return expect(answer);
        }

        /** @return operations {ok, failed} so far */
        long[] counts() throws IOException {
            String[] f = ask("count", "COUNT").split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
        }

        String expect(String answer) throws IOException {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(answer)) {
                    return line;
                }
            }
            throw new IOException("the load's JVM ended (exit " + exitValue() + ") before answering " + answer);
        }

        private String exitValue() {
            try {
                return Integer.toString(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "?";
            }
        }
    }
}
