package io.srvepmd.it;

import static io.srvepmd.it.TlsDistributionTest.ERL;
import static io.srvepmd.it.TlsDistributionTest.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.AgentCli;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.Steps;
import io.srvepmd.it.support.TlsLab;
import io.srvepmd.it.support.TlsLab.ErlangTls;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What operators see of TLS in a live JVM: {@code status} (TLS on, the certificate's subject and
 * expiry), the Prometheus exporter's TLS metrics under the documented names (handshakes by reason,
 * expiry), the alerting rule's expression on that expiry, and the start-up warning for a certificate
 * no CA of the bundle issued.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsOperatorsTest extends ItBase {

    @Test
    void statusPrometheusAndTheExpiryAlert() throws Exception {
        int erlPort = FreePorts.tcp();
        int strangerPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, erlPort)
                .node("stranger@svc.test", strangerPort).start());
        track(TlsLab.erlang(ERL, dns, erlPort, ErlangTls.standard()));
        track(TlsLab.erlang("stranger@svc.test", dns, strangerPort, ErlangTls.standard()
                .identity("other.pem", "other.key")));
        int http = FreePorts.tcp();
        // short.pem: valid for one more day, so the expiry alert's expression holds
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + "," + TlsLab.agentArgs("short.pem",
                "rsa.key", "ca.pem"), "connect:" + ERL, "connect:stranger@svc.test", "await")
                .jvmOption("-javaagent:" + ItEnv.prometheusAgent() + "=127.0.0.1:" + http + ":"
                        + ItEnv.deploy().resolve("prometheus/srv-epmd-jmx-exporter.yaml"))
                .start());
        app.awaitLine("AWAITING", PATIENCE);
        assertTrue(Steps.awaitConnect(app, 0, PATIENCE).ok, app.describe());
        assertTrue(!Steps.awaitConnect(app, 1, PATIENCE).ok, app.describe());

        Map<String, String> m = scrapeUntil(http, "srvepmd_tls_handshakes_total");
        assertEquals("2.0", m.get("srvepmd_tls_handshakes_total"), m.toString());
        assertEquals("1.0", m.get("srvepmd_tls_failed_handshakes_total"), m.toString());
        assertEquals("1.0", m.get("srvepmd_tls_handshake_failures_total{reason=\"UntrustedPeer\"}"), m.toString());
        assertEquals("0.0", m.get("srvepmd_tls_handshake_failures_total{reason=\"Timeout\"}"), m.toString());
        assertEquals("0.0", m.get("srvepmd_tls_reloads_total"), m.toString());
        double days = Double.parseDouble(m.get("srvepmd_tls_certificate_expiry_days"));
        assertTrue(days > 0.9 && days <= 1.0, "short.pem expires in a day: " + days);
        assertTrue(alertHolds("SrvEpmdCertificateExpiresSoon", days), "the alert's expression holds at " + days);
        assertTrue(!alertHolds("SrvEpmdCertificateExpiresSoon", 60), "...and not with 60 days left");

        AgentCli status = AgentCli.run("status", Long.toString(app.pid()));
        assertEquals(0, status.status, status.toString());
        assertTrue(status.line("tls: on, versions tlsv1.3,tlsv1.2; certificate 'CN=node short' issued by"
                + " 'CN=srv-epmd test root CA', expires ").endsWith(" days)"), status.toString());
        assertTrue(status.line("tls counters: Handshakes=2 FailedHandshakes=1 FailedTimeout=0 ").contains(
                "FailedUntrustedPeer=1"), status.toString());
        app.send("done");
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
    }

    @OnEachOtp
    void doctorChecksTheFilesAndHandshakesWithEachPeer(Otp otp) {
        int erlPort = FreePorts.tcp();
        int strangerPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, erlPort)
                .node("stranger@svc.test", strangerPort).start());
        track(TlsLab.erlang(otp, ERL, dns, erlPort, ErlangTls.standard()));
        track(TlsLab.erlang(otp, "stranger@svc.test", dns, strangerPort, ErlangTls.standard()
                .identity("other.pem", "other.key")));
        List<String> args = new java.util.ArrayList<>(List.of(("dns.servers=" + dns.address() + ","
                + TlsLab.agentArgs("chain.pem", "chain.key", "ca.pem")).split(",")));
        args.addAll(List.of("doctor", ERL, "stranger@svc.test"));
        AgentCli doctor = AgentCli.run(args.toArray(new String[0]));
        assertEquals(1, doctor.status, doctor.toString());
        assertTrue(doctor.line("OK    tls: certificate 'CN=node chain' issued by 'CN=srv-epmd test intermediate CA',"
                + " chain of 2, key PKCS#8 RSA matches it, 1 CA(s) trusted; valid until ").length() > 0,
                doctor.toString());
        assertTrue(doctor.line("OK    peer " + ERL + ": ").contains("accepts TCP and a mutual TLS handshake and"
                + " answers the distribution handshake as " + ERL), doctor.toString());
        String stranger = doctor.line("FAIL  peer stranger@svc.test: ");
        assertTrue(stranger.contains("no TLS connection could be made there") && stranger.contains(
                "untrusted-peer"), doctor.toString());
    }

    /** Evaluates the rule's {@code METRIC < N} expression (the form the rule file uses) at {@code value}. */
    private static boolean alertHolds(String alert, double value) throws Exception {
        String rules = Files.readString(ItEnv.deploy().resolve("prometheus/srv-epmd-alerts.yaml"));
        Matcher m = Pattern.compile("- alert: " + alert + "\\s+expr: srvepmd_tls_certificate_expiry_days < (\\d+)")
                .matcher(rules);
        assertTrue(m.find(), "rule " + alert + " with expr 'srvepmd_tls_certificate_expiry_days < N'");
        return value < Double.parseDouble(m.group(1));
    }

    @Test
    void aCertificateNoBundleCaIssuedStartsWithOneWarning() {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, erlPort).start());
        // the Erlang node trusts both CAs; the Java node trusts only its peers' CA: legal, and said once
        track(TlsLab.erlang(ERL, dns, erlPort, ErlangTls.standard().trusting("both-cas.pem")));
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + "," + TlsLab.agentArgs("other.pem",
                "other.key", "ca.pem"), "connect:" + ERL).start());
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
        assertTrue(Steps.awaitConnect(app, 0, PATIENCE).ok, app.describe());
        List<String> warnings = app.stderr().lines().filter(l -> l.contains("does not chain to a CA in"))
                .collect(java.util.stream.Collectors.toList());
        assertEquals(1, warnings.size(), app.describe());
        assertTrue(warnings.get(0).contains("agent argument tls.certfile=" + TlsLab.file("other.pem")),
                warnings.get(0));
    }

    private static Map<String, String> scrapeUntil(int port, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard
        while (true) {
            Map<String, String> metrics = new TreeMap<>();
            try (InputStream in = new URL("http://127.0.0.1:" + port + "/metrics").openStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("srvepmd_tls")) {
                        int space = line.lastIndexOf(' ');
                        metrics.put(line.substring(0, space), line.substring(space + 1));
                    }
                }
            }
            if (metrics.containsKey(name) || System.nanoTime() > deadline) {
                return metrics;
            }
            Thread.sleep(100);
        }
    }
}
