package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Prometheus rule set docs/operating.md gives ({@code deploy/prometheus/srv-epmd-jmx-exporter.yaml}) against a
 * live JVM: the real JMX exporter agent next to the srv-epmd agent, scraped over HTTP; every
 * attribute of the agent's MBeans comes out under the documented metric name.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PrometheusRulesTest extends ItBase {

    private static final String ERL = "erl@svc.test";

    private static final Set<String> METRICS = Set.of("srvepmd_lookups_total", "srvepmd_local_answers_total",
            "srvepmd_cache_hits_total", "srvepmd_cache_misses_total", "srvepmd_stale_answers_total",
            "srvepmd_negative_answers_total", "srvepmd_resolution_failures_total", "srvepmd_connect_attempts_total",
            "srvepmd_connect_failures_total", "srvepmd_handshake_failures_total", "srvepmd_invalidations_total", "srvepmd_cached_nodes",
            "srvepmd_resolver_calls_total", "srvepmd_resolver_answers_total", "srvepmd_resolver_timeouts_total",
            "srvepmd_resolver_not_mine_total", "srvepmd_resolver_not_found_total",
            "srvepmd_resolver_unavailable_total", "srvepmd_resolver_running_calls", "srvepmd_dns_questions_total",
            "srvepmd_dns_answers_total", "srvepmd_dns_unanswered_questions_total", "srvepmd_dns_tcp_fallbacks_total",
            "srvepmd_dns_failed_attempts_total", "srvepmd_dns_server_timeouts_total");

    @Test
    void everyFigureHasItsDocumentedMetricName() throws Exception {
        DnsServer dns = dnsWithErlangNode(ERL);
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String mute = "127.0.0.1:" + silent.getLocalPort(); // never answers: a timeout per question
            int http = FreePorts.tcp();
            JavaApp app = track(Steps.resolveMain("dns.servers=" + mute + "," + dns.address() + ",dns.timeout=4s",
                    "connect:" + ERL, "connect:ghost@svc.test", "await")
                    .jvmOption("-javaagent:" + ItEnv.prometheusAgent() + "=127.0.0.1:" + http + ":"
                            + ItEnv.deploy().resolve("prometheus/srv-epmd-jmx-exporter.yaml"))
                    .start());
            app.awaitLine("AWAITING", Duration.ofSeconds(60));
            Map<String, String> metrics = scrapeUntil(http, "srvepmd_lookups_total");
            app.send("done");
            assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());

            Set<String> names = new java.util.TreeSet<>();
            for (String series : metrics.keySet()) {
                names.add(series.contains("{") ? series.substring(0, series.indexOf('{')) : series);
            }
            assertEquals(new java.util.TreeSet<>(METRICS), names, "metric names: " + metrics);
            assertEquals("2.0", metrics.get("srvepmd_lookups_total"), metrics.toString());
            assertEquals("2.0", metrics.get("srvepmd_resolver_calls_total{resolver=\"dns-srv\"}"), metrics.toString());
            assertEquals("1.0", metrics.get("srvepmd_dns_answers_total{rcode=\"NXDOMAIN\",resolver=\"dns-srv\"}"),
                    metrics.toString());
            String timeouts = "srvepmd_dns_server_timeouts_total{resolver=\"dns-srv\",server=\"" + mute + "\"}";
            assertTrue(metrics.containsKey(timeouts) && Double.parseDouble(metrics.get(timeouts)) >= 1,
                    "the silent server's timeouts: " + metrics);
        }
    }

    /** GET /metrics until a line starting with {@code name} appears (the MBeans register within a second). */
    private static Map<String, String> scrapeUntil(int port, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard
        while (true) {
            Map<String, String> metrics = scrape(port);
            if (metrics.containsKey(name) || System.nanoTime() > deadline) {
                return metrics;
            }
            Thread.sleep(100);
        }
    }

    private static Map<String, String> scrape(int port) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = new URL("http://127.0.0.1:" + port + "/metrics").openStream()) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("srvepmd_")) {
                    int space = line.lastIndexOf(' ');
                    out.put(line.substring(0, space), line.substring(space + 1));
                }
            }
        }
        return out;
    }
}
