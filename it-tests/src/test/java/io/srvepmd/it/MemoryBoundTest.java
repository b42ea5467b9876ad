package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory stays bounded whatever names the peers make up: node names come from
 * peers, so a hostile or broken one can make a JVM look up any number of
 * names. 300,000 distinct unknown names go through the hooked
 * {@code OtpEpmd.lookupPort} of a {@code -Xmx96m} JVM (before the bound, a
 * cache that never shrank ran such a JVM out of memory after ~50,000). Every
 * lookup must fail with an IOException naming its node, and the heap retained
 * after GC must stay under 40 MiB.
 *
 * <p>The static resolver, with one entry matching none of the names, makes
 * each failure instant ("no resolver knows it"), so the flood takes seconds.
 * Failures are remembered for an hour ({@code dns.negative-ttl=1h}), so only
 * the cache's capacity ({@code dns.cache-size}, default 10,000 failures), not
 * the expiry of its entries, can keep the heap small.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryBoundTest extends ItBase {

    private static final int NAMES = 300_000;
    private static final long HEAP_BOUND = 40L << 20;

    @Test
    void distinctUnknownNamesDoNotGrowTheHeap() {
        JavaApp app = track(JavaApp.builder("LookupFloodMain").staticResolver()
                .jvmOption("-Xmx96m")
                .agentArgs("resolvers=static,static.nodes=known@svc.test=127.0.0.1:4370,dns.negative-ttl=1h")
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args(Integer.toString(NAMES), "4", "flood.test")
                .start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(100)), app.describe());
        Matcher flood = app.awaitLine("FLOOD count=(\\d+) answered=(\\d+) ioexceptions=(\\d+) named=(\\d+)"
                + " other=(\\d+) oom=(\\d+) ms=\\d+", Duration.ofSeconds(1));
        assertEquals(NAMES + " 0 " + NAMES + " " + NAMES + " 0 0",
                String.join(" ", flood.group(1), flood.group(2), flood.group(3), flood.group(4), flood.group(5),
                        flood.group(6)),
                "count, answered, IOExceptions, IOExceptions naming their node, others, OutOfMemoryErrors: "
                        + app.describe());
        assertTrue(app.stdoutLines().contains("FLOOD-FIRST srv-epmd: cannot resolve node "
                        + firstName(app) + ": no resolver knows it (asked static)"), app.describe());
        long used = Long.parseLong(app.awaitLine("HEAP used-after-gc=(\\d+) max=\\d+", Duration.ofSeconds(1))
                .group(1));
        assertTrue(used < HEAP_BOUND, "heap retained after GC " + (used >> 20) + " MiB, bound "
                + (HEAP_BOUND >> 20) + " MiB: " + app.describe());
        assertEquals("", app.stderr(), app.describe());
    }

    /** The node of the first failure the program saw (threads race for it). */
    private static String firstName(JavaApp app) {
        return app.awaitLine("FLOOD-FIRST srv-epmd: cannot resolve node (flood-\\d+@flood\\.test): .*",
                Duration.ofSeconds(1)).group(1);
    }
}
