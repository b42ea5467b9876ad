package io.srvepmd.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time (user + system, every thread) of the child processes this JVM has waited for, from
 * the {@code cutime} and {@code cstime} fields of {@code /proc/self/stat} (Linux adds a child's
 * times there when it is reaped). The difference around one child's run is that child's CPU time,
 * in clock ticks of 10 ms (USER_HZ 100): no outside tool, and on a loaded machine a steadier
 * measure than the wall time.
 */
final class ChildCpu {

    private static final double MS_PER_TICK = 10.0;

    private ChildCpu() {
    }

    /** @return the CPU time of the reaped children so far, in milliseconds */
    static double reapedMillis() throws IOException {
        String stat = new String(Files.readAllBytes(Path.of("/proc/self/stat")), StandardCharsets.US_ASCII);
        // after "pid (comm) ": state is field 3; cutime and cstime are fields 16 and 17
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return (Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3])) * MS_PER_TICK;
    }
}
