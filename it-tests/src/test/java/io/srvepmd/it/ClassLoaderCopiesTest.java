package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A second JInterface copy, loaded by a child-first class loader after the
 * class path's copy was hooked: stock by default (the agent stops watching
 * class loads once the system loader's copy is hooked, which spares every
 * later class load ~10 us of CPU), hooked with {@code jinterface.every-loader=true}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClassLoaderCopiesTest extends ItBase {

    private static final String ERL = "erl@svc.test";

    private JavaApp run(DnsServer dns, String agentArgs) {
        JavaApp app = track(JavaApp.builder("TwoCopiesMain").agentArgs("dns.servers=" + dns.address() + agentArgs)
                .args(ItEnv.jinterface1131().toString(), ERL).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        return app;
    }

    @Test
    void withEveryLoaderTheSecondCopyIsHookedToo() {
        int port = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, port).start());
        JavaApp app = run(dns, ",jinterface.every-loader=true");
        assertTrue(app.stdoutLines().contains("FIRST " + port), app.describe());
        assertTrue(app.stdoutLines().contains("SECOND " + port), "the second copy asked DNS too: " + app.describe());
        assertAgentSilent(app);
    }

    @Test
    void byDefaultTheSecondCopyIsStockAndAsksEpmd() {
        int port = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, port).start());
        JavaApp app = run(dns, "");
        assertTrue(app.stdoutLines().contains("FIRST " + port), app.describe());
        String second = app.awaitLine("SECOND .*", Duration.ofSeconds(1)).group();
        // Stock JInterface looks for epmd on the node's host, svc.test, which the child's JDK cannot resolve
        // (it reads only a hosts file holding localhost), so no question leaves the test.
        assertEquals("SECOND failed java.io.IOException: Nameserver not responding on svc.test when looking up erl",
                second, "JInterface's own epmd client answered");
    }
}
