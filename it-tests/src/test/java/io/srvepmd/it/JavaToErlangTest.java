package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

/**
 * The JInterface of an OTP release with the agent reaches an epmd-less node of
 * that release (OTP 25 and 27) found only through an SRV record: ping, a
 * message round trip to its {@code echo} process, and rpc (through OtpMbox to
 * rex, and through OtpConnection: two JInterface code paths to the hooks).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaToErlangTest extends ItBase {

    private static final String ERL = "erl@svc.test";

    @OnEachOtp
    void pingEchoAndRpcThroughOtpNode(Otp otp) {
        DnsServer dns = dnsWithErlangNode(otp, ERL);
        JavaApp app = track(javaWithAgent("NodeMain", otp.jinterface(), dns)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, "ping:" + ERL, "echo:" + ERL, "rpc-node:" + ERL, "rpc-reverse:" + ERL)
                .start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        List<String> lines = app.stdoutLines();
        assertTrue(lines.contains("PING " + ERL + " ok"), app.describe());
        assertTrue(lines.contains("ECHO hello FROM " + ERL), app.describe());
        assertTrue(lines.contains("RPC erlang:node() = '" + ERL + "'"), app.describe());
        assertTrue(lines.contains("RPC lists:reverse([a,b,c]) = [c,b,a]"), app.describe());
        assertTrue(dns.queries("erl.svc.test", "SRV") >= 1, "the agent asked SRV erl.svc.test: " + dns.queryLog());
        assertAgentSilent(app);
    }

    @OnEachOtp
    void rpcThroughOtpSelfConnection(Otp otp) {
        DnsServer dns = dnsWithErlangNode(otp, ERL);
        JavaApp app = track(javaWithAgent("ConnectMain", otp.jinterface(), dns)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, ERL).start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        List<String> lines = app.stdoutLines();
        assertTrue(lines.contains("CONNECTED " + ERL), app.describe());
        assertTrue(lines.contains("RPC erlang:node() = '" + ERL + "'"), app.describe());
        assertTrue(lines.contains("RPC lists:reverse([a,b,c]) = [c,b,a]"), app.describe());
        assertAgentSilent(app);
    }
}
