package io.srvepmd.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of every scenario class: checks that no epmd runs and nothing listens
 * on 4369 before the class, watches both while it runs, and fails the class
 * if either was ever seen. Resources registered with {@link #track} are closed
 * (processes stopped by pid) after each test, also when it failed.
 */
public abstract class ItBase {

    /** Cookie shared by every node of the tests. */
    public static final String COOKIE = "srvepmd-it-cookie";

    private static EpmdWatch watch;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void watchEpmd() {
        assertFalse(EpmdWatch.listening(EpmdWatch.EPMD_PORT),
                "something listens on port 4369 before the tests: cannot show that the tests never use epmd");
        assertEquals(List.of(), EpmdWatch.epmdProcesses(),
                "an epmd process runs before the tests: cannot show that the tests never start one");
        watch = new EpmdWatch();
        watch.start();
    }

    @AfterAll
    static void noEpmdSeen() {
        if (watch == null) {
            return; // watchEpmd already failed the class and said why
        }
        EpmdWatch stopped = watch;
        watch = null;
        List<String> seen = stopped.stop();
        assertTrue(stopped.samples() > 0, "the epmd watch never sampled");
        assertEquals(List.of(), seen, "epmd or a listener on port 4369 was seen while the tests ran");
    }

    /**
     * A dnsmasq for {@code svc.test} with DynamicSrv.Epmd's records for {@code node} (SRV and A at
     * {@code <alive>.svc.test}), and that node running: an epmd-less OTP 25 node on a free port.
     */
    protected DnsServer dnsWithErlangNode(String node) {
        return dnsWithErlangNode(Otp.otp25(), node);
    }

    /** {@link #dnsWithErlangNode(String)} with a node of release {@code otp}. */
    protected DnsServer dnsWithErlangNode(Otp otp, String node) {
        int port = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(node, port).start());
        track(ErlangNode.start(otp, node, COOKIE, dns, port));
        return dns;
    }

    /** Lines the test programs print; anything else on stdout came from somewhere else. */
    private static final java.util.regex.Pattern APP_LINE = java.util.regex.Pattern.compile(
            "(NODE|SELF|CONNECTED|PING|ECHO|RPC|SERVING|GOT|SERVED|REPLY|NAMES|CREATION|CONNECT|CONNECTS|STORM|NAMES-COUNT"
            + "|NAMES-LINE|MBEAN-SERVERS|JMX|JMX-INVALIDATED|JMX-CACHE|LOOKUP|FIRST|SECOND) .*|SERVED|AWAITING|PAUSED");

    /**
     * A child JVM with the agent, JInterface {@code version}, and the agent argument
     * {@code dns.servers} pointing at {@code dns} (the only DNS server it may ask).
     */
    protected static JavaApp.Builder javaWithAgent(String mainClass, JavaApp.JInterface version, Nameserver dns) {
        return JavaApp.builder(mainClass).jinterface(version).agentArgs("dns.servers=" + dns.address());
    }

    /**
     * The agent printed nothing: stderr is empty and every stdout line is one the test
     * program prints.
     */
    protected static void assertAgentSilent(JavaApp app) {
        assertEquals("", app.stderr(), "stderr of a successful run: " + app.describe());
        for (String line : app.stdoutLines()) {
            assertTrue(APP_LINE.matcher(line).matches(), "unexpected stdout line '" + line + "': " + app.describe());
        }
    }

    /** Closes {@code resource} after this test (last registered, first closed). */
    protected <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void closeResources() throws Exception {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        resources.clear();
        if (first != null) {
            throw first;
        }
    }
}
