package io.srvepmd.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Whether a soak stayed flat. After the warm-up, each series (heap used after full GCs, open file
 * descriptors, live threads, all sampled while no operation is under way) must stay within a band,
 * max minus min at most its bound (heap {@value #HEAP_MIB} MiB, descriptors {@value #FDS}, threads
 * {@value #THREADS}), and must not climb: its least-squares trend across the measured window at most
 * half its bound. Loaded classes are shown, not judged.
 */
final class SoakVerdict {

    static final double HEAP_MIB = 4;
    static final double FDS = 8;
    static final double THREADS = 8;

    /** One sample of the load's JVM. */
    static final class Sample {
        final long atMs;
        final long heapBytes;
        final long fds;
        final long threads;
        final long classes;

        Sample(long atMs, long heapBytes, long fds, long threads, long classes) {
            this.atMs = atMs;
            this.heapBytes = heapBytes;
            this.fds = fds;
            this.threads = threads;
            this.classes = classes;
        }
    }

    private final List<Sample> measured;
    private final long warmupMs;

    SoakVerdict(List<Sample> samples, long warmupMs) {
        this.warmupMs = warmupMs;
        this.measured = samples.stream().filter(s -> s.atMs >= warmupMs).collect(Collectors.toList());
    }

    /**
     * Prints the summary and the verdict.
     *
     * @return whether the run was flat and no operation failed while DNS was down
     */
    boolean print(PrintStream out, int outages, long outageOps, long outageFailures, int moves, long moveFailures,
            long otherFailures) {
        out.printf(Locale.ROOT, "%n== summary: %d samples after a %d s warm-up, %.0f s measured%n", measured.size(),
                warmupMs / 1000, windowHours() * 3600);
        out.println("   series          min       max     range   bound  trend over the window  flat");
        boolean flat = measured.size() >= 3;
        flat &= line(out, "heap MiB", s -> s.heapBytes / 1048576.0, HEAP_MIB);
        flat &= line(out, "descriptors", s -> s.fds, FDS);
        flat &= line(out, "threads", s -> s.threads, THREADS);
        line(out, "classes", s -> s.classes, Double.NaN);
        boolean carried = outageFailures == 0;
        out.printf(Locale.ROOT, "   DNS outages: %d, %d operations while DNS was down, %d failed%n", outages,
                outageOps, outageFailures);
        out.printf(Locale.ROOT, "   node moves: %d, %d operations failed during them (the node was restarting)%n",
                moves, moveFailures);
        out.printf(Locale.ROOT, "   other failures: %d%n", otherFailures);
        out.println("== verdict: " + (flat ? "FLAT" : "NOT FLAT") + (carried ? ", stale answers carried every"
                + " operation through the outages" : ", operations FAILED while DNS was down"));
        return flat && carried;
    }

    private boolean line(PrintStream out, String name, ToDoubleFunction<Sample> value, double bound) {
        double min = measured.stream().mapToDouble(value).min().orElse(Double.NaN);
        double max = measured.stream().mapToDouble(value).max().orElse(Double.NaN);
        double trend = slopePerMs(value) * windowHours() * 3_600_000;
        boolean judged = !Double.isNaN(bound);
        boolean flat = !judged || (max - min <= bound && trend <= bound / 2);
        out.printf(Locale.ROOT, "   %-11s %9.2f %9.2f %9.2f %7s %+22.2f  %s%n", name, min, max, max - min,
                judged ? String.format(Locale.ROOT, "%.0f", bound) : "-", trend, judged ? (flat ? "yes" : "NO") : "");
        return flat;
    }

    private double windowHours() {
        return measured.isEmpty() ? 0
                : (measured.get(measured.size() - 1).atMs - measured.get(0).atMs) / 3_600_000.0;
    }

    /** Least-squares slope of the series against time. */
    private double slopePerMs(ToDoubleFunction<Sample> value) {
        int n = measured.size();
        if (n < 2) {
            return 0;
        }
        double mt = measured.stream().mapToDouble(s -> s.atMs).average().orElse(0);
        double mv = measured.stream().mapToDouble(value).average().orElse(0);
        double cov = 0;
        double var = 0;
        for (Sample s : measured) {
            cov += (s.atMs - mt) * (value.applyAsDouble(s) - mv);
            var += (s.atMs - mt) * (s.atMs - mt);
        }
        return var == 0 ? 0 : cov / var;
    }
}
