package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsProxy;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounded load test: 1,000 threads of one JVM, released together, each look
 * up a distinct name through the hooked {@code OtpEpmd.lookupPort} with the
 * dns-srv resolver against a real dnsmasq — nodes that exist, unknown names
 * (NXDOMAIN) and malformed names a hostile peer might send — under
 * {@code ulimit -n 512}. A forwarder holds every DNS question 50 ms, so the
 * questions really overlap.
 *
 * <p>Before the bound, every question in flight opened its own socket: 1,000
 * concurrent lookups held ~1,000 descriptors, most failed with "Too many open
 * files" under this limit, and the host's own class loading failed with them.
 * Now: nothing runs out of descriptors, every lookup is answered or fails
 * with an IOException saying why, a probe keeps loading classes from files
 * throughout, the peak of open descriptors stays far below the limit, and
 * afterwards descriptors and threads come back to their baseline (the agent's
 * resolver threads end after being idle for 30 s, so this test waits that long).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LookupStormTest extends ItBase {

    private static final int EXISTING = 300;
    private static final int UNKNOWN = 300;
    private static final int MALFORMED = 400;
    private static final int FIRST_PORT = 20_000;
    private static final int OPEN_FILES = 512;
    /** Far below the limit: a handful of sockets on top of the JVM's own descriptors. */
    private static final int PEAK_FDS_BOUND = 128;
    /** Threads beyond the storm's and the baseline: the resolver calls' threads and the probe. */
    private static final int EXTRA_THREADS_BOUND = 64;

    private static final Pattern RESULT = Pattern.compile("R (existing|unknown|malformed) (\\d+) (ok|ioe|other) (.*)");

    @Test
    void thousandConcurrentDistinctLookupsStayWithinTheOpenFileLimit() {
        DnsServer dns = DnsServer.create().domain("svc.test");
        for (int i = 0; i < EXISTING; i++) {
            dns.node("e-" + i + "@svc.test", FIRST_PORT + i);
        }
        track(dns.start());
        DnsProxy proxy = track(new DnsProxy(dns, 100));

        // dns.timeout is only a hang guard here: no lookup may fail for lack of time.
        JavaApp app = track(JavaApp.builder("LookupStormMain").openFileLimit(OPEN_FILES)
                .agentArgs("dns.servers=" + proxy.address() + ",dns.timeout=60s")
                .args(Integer.toString(EXISTING), Integer.toString(UNKNOWN), Integer.toString(MALFORMED),
                        "svc.test", "90")
                .start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(160)), app.describe());

        String out = app.stdout();
        assertFalse(out.contains("Too many open files") || app.stderr().contains("Too many open files"),
                app.describe());
        assertEquals("", app.stderr(), app.describe());
        assertTrue(app.stdoutLines().contains("LIMIT open-files=" + OPEN_FILES), "ran under the limit: "
                + app.describe());

        List<String> wrong = new ArrayList<>();
        int[] seen = new int[3];
        for (String line : app.stdoutLines()) {
            Matcher m = RESULT.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int i = Integer.parseInt(m.group(2));
            String outcome = m.group(3) + " " + m.group(4);
            switch (m.group(1)) {
                case "existing":
                    seen[0]++;
                    if (!outcome.equals("ok " + (FIRST_PORT + i))) {
                        wrong.add(line);
                    }
                    break;
                case "unknown":
                    seen[1]++;
                    // JInterface's contract for a direct lookupPort: 0, "not registered".
                    if (!outcome.equals("ok 0")) {
                        wrong.add(line);
                    }
                    break;
                default:
                    seen[2]++;
                    if (!malformedRefused(outcome)) {
                        wrong.add(line);
                    }
                    break;
            }
        }
        assertEquals(List.of(EXISTING, UNKNOWN, MALFORMED), List.of(seen[0], seen[1], seen[2]),
                "one result per lookup: " + app.describe());
        assertEquals(List.of(), wrong, "lookups that were not answered, or failed without saying why");

        Matcher probe = app.awaitLine("PROBE loads=(\\d+) failures=(\\d+) first=(.*)", Duration.ofSeconds(1));
        assertEquals("0", probe.group(2), "class loading failed during the storm: " + probe.group(0));
        assertTrue(Integer.parseInt(probe.group(1)) > 0, "the probe loaded classes: " + probe.group(0));
        assertTrue(app.stdoutLines().contains("LOADED io.srvepmd.it.app.LookupStormMain$Afterwards"),
                "a class loaded after the storm: " + app.describe());

        Matcher fds = app.awaitLine("FDS baseline=(\\d+) peak=(\\d+)", Duration.ofSeconds(1));
        assertTrue(Integer.parseInt(fds.group(2)) < PEAK_FDS_BOUND, "peak of open descriptors, bound "
                + PEAK_FDS_BOUND + ": " + fds.group(0));
        Matcher threads = app.awaitLine("THREADS baseline=(\\d+) peak=(\\d+) storm=(\\d+)", Duration.ofSeconds(1));
        int extra = Integer.parseInt(threads.group(2)) - Integer.parseInt(threads.group(1))
                - Integer.parseInt(threads.group(3));
        assertTrue(extra <= EXTRA_THREADS_BOUND, "threads beyond the storm's at the peak: " + extra + ", bound "
                + EXTRA_THREADS_BOUND + ": " + threads.group(0));
        assertTrue(app.stdoutLines().stream().anyMatch(l -> l.startsWith("SETTLED ")),
                "descriptors and threads back to their baseline: " + app.stdoutLines().stream()
                        .filter(l -> !l.startsWith("R ")).reduce("", (a, b) -> a + "\n" + b));
    }

    /**
     * A malformed name is refused with an IOException naming what is wrong by the
     * agent's name check; a name the resolver finds is no DNS name (a label over 63
     * octets) cannot be registered: 0, as for any node that does not exist.
     */
    private static boolean malformedRefused(String outcome) {
        return outcome.startsWith("ioe srv-epmd: cannot look up node: malformed Erlang node name '")
                || outcome.equals("ok 0");
    }
}
