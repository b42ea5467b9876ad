package io.srvepmd.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Connection setup with mutual TLS, one run, three sides: Erlang -> Erlang over {@code inet_tls} (the
 * baseline: OTP's own TLS distribution), the agent's TLS (JInterface 1.13.1 with {@code tls.enabled=true}
 * -> a TLS Erlang node) and the agent's plain TCP (-> a plain Erlang node), each a lookup through the
 * same dnsmasq + TCP + (TLS) + the distribution handshake. The Java sides run {@code ConnectLoop}
 * (300 warm-up + 1500 measured connect+close per JVM), the Erlang side {@code tls_connect_loop}
 * (the same counts of connect_node; only the connect is timed). Runs alternate. Certificates come from
 * scripts/test-pki.sh (RSA 2048, made for the run). Prints RESULT lines: median, min, max per side, and
 * the agent-TLS / Erlang-TLS ratio of the medians (target: at most 1.1).
 *
 * <p>Properties as EndToEnd, plus bench.root (the repository, default "."); args: reps.
 */
public final class TlsSetup {

    /**
     * The host part of the TLS nodes' names: the one the test PKI's node certificate names
     * (scripts/test-pki.sh), which both OTP's and the agent's hostname checks require.
     */
    static final String TLS_DOMAIN = "svc.test";

    private TlsSetup() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        String agentJar = new File(System.getProperty("bench.agentJar", "agent/target/srv-epmd-agent.jar"))
                .getAbsolutePath();
        String cp = new File(System.getProperty("bench.childcp", "benchmarks/target/classes")).getAbsolutePath()
                + File.pathSeparator + Fixtures.JINTERFACE;
        try (Fixtures fx = new Fixtures()) {
            Path pki = pki(root, fx.work.resolve("pki"));
            Path optfile = optfile(fx.work, pki);
            int tlsPort = Fixtures.freePort();
            int plainPort = Fixtures.freePort();
            String tlsHost = "tls-erl." + TLS_DOMAIN;
            String plainHost = "plain-erl." + Fixtures.DOMAIN;
            int dnsPort = fx.dnsmasq(List.of("local-ttl=5",
                    "srv-host=" + tlsHost + "," + tlsHost + "," + tlsPort + ",0,0", "host-record=" + tlsHost + ",127.0.0.1",
                    "srv-host=" + plainHost + "," + plainHost + "," + plainPort + ",0,0",
                    "host-record=" + plainHost + ",127.0.0.1"), null);
            String tlsErl = fx.erlangEpmdLessTls("tls-erl", TLS_DOMAIN, tlsPort, dnsPort, optfile);
            String plainErl = fx.erlangEpmdLess("plain-erl", plainPort, dnsPort);
            fx.compileErlang(root.resolve("benchmarks/src/main/erlang/tls_connect_loop.erl"));

            String dns = "-Dsrvepmd.dns.servers=127.0.0.1:" + dnsPort;
            EndToEnd.Side agentTls = new EndToEnd.Side(fx, cp, List.of("-javaagent:" + agentJar + "=tls.enabled=true,"
                    + "tls.certfile=" + pki.resolve("rsa.pem") + ",tls.keyfile=" + pki.resolve("rsa.key")
                    + ",tls.cacertfile=" + pki.resolve("ca.pem"), dns), Map.of(), "@" + TLS_DOMAIN, tlsErl, 0);
            EndToEnd.Side agentPlain = new EndToEnd.Side(fx, cp, List.of("-javaagent:" + agentJar, dns), Map.of(),
                    "@" + Fixtures.DOMAIN, plainErl, 0);
            List<Double> erlang = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                boolean erlangFirst = i % 2 == 0;
                if (erlangFirst) {
                    erlang.add(erlangLoop(fx, dnsPort, optfile, tlsErl, "tls-client-" + i));
                }
                agentTls.connect("tls-a" + i);
                agentPlain.connect("tcp-a" + i);
                if (!erlangFirst) {
                    erlang.add(erlangLoop(fx, dnsPort, optfile, tlsErl, "tls-client-" + i));
                }
            }
            EndToEnd.report("tls.conn.us.erlang-tls/agent-tls", erlang, agentTls.connectUs);
            EndToEnd.report("tls.conn.us.agent-plain/agent-tls", agentPlain.connectUs, agentTls.connectUs);
            System.out.println(String.format(Locale.ROOT, "RESULT tls.conn.ratio %.2f", EndToEnd.median(
                    agentTls.connectUs) / EndToEnd.median(erlang)));
            System.out.println("RESULT tls.conn.reps " + reps);
        }
    }

    private static Path pki(Path root, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", root.resolve("scripts/test-pki.sh").toString(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("scripts/test-pki.sh failed: " + out);
        }
        return dir;
    }

    /** OTP's option file for both Erlang sides: verify_peer both ways, fail_if_no_peer_cert. */
    private static Path optfile(Path work, Path pki) throws IOException {
        String identity = "{certfile, \"" + pki.resolve("rsa.pem") + "\"}, {keyfile, \"" + pki.resolve("rsa.key")
                + "\"}, {cacertfile, \"" + pki.resolve("ca.pem") + "\"}, {verify, verify_peer}";
        Path f = work.resolve("ssl_dist.conf");
        Files.writeString(f, "[{server, [" + identity + ", {fail_if_no_peer_cert, true}]},\n {client, [" + identity
                + "]}].\n");
        return f;
    }

    /** One Erlang client node running tls_connect_loop against {@code peer}: its mean connect in microseconds. */
    private static double erlangLoop(Fixtures fx, int dnsPort, Path optfile, String peer, String alive)
            throws IOException, InterruptedException {
        List<String> cmd = List.of("erl", "-noshell", "-name", alive + "@" + TLS_DOMAIN, "-setcookie",
                Fixtures.COOKIE, "-start_epmd", "false", "-epmd_module", "srv_epmd", "-proto_dist", "inet_tls",
                "-ssl_dist_optfile", optfile.toString(), "-pa", fx.work.toString(), "-run", "tls_connect_loop", "main",
                peer, "300", "1500");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(fx.work.toFile()).redirectErrorStream(true);
        pb.environment().put("ERL_INETRC", fx.inetrc(dnsPort).toString());
        pb.environment().put("ERL_DIST_PORT", Integer.toString(Fixtures.freePort()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("tls_connect_loop failed: " + out);
        }
        for (String line : out.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 4 && w[0].equals("MEAN_US") && w[3].equals("0")) {
                return Double.parseDouble(w[1]);
            }
        }
        throw new IOException("tls_connect_loop: no MEAN_US line without failures: " + out);
    }
}
