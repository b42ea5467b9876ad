package io.srvepmd.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the TLS scenarios share: the certificates and keys of {@code scripts/test-pki.sh}, made once
 * per run with Debian's openssl (nothing committed), OTP's {@code ssl_dist} option files, and
 * epmd-less Erlang nodes of a chosen release ({@link Otp}) running {@code -proto_dist inet_tls}
 * (or {@code inet6_tls}).
 */
public final class TlsLab {

    private static Path pki;

    private TlsLab() {
    }

    /** The directory of the test PKI (see scripts/test-pki.sh for its files). */
    public static synchronized Path pki() {
        if (pki != null) {
            return pki;
        }
        Path dir = ItEnv.newDir("pki");
        Path script = ItEnv.root().resolve("scripts/test-pki.sh");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), dir.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " failed; is openssl installed?");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        pki = dir;
        return dir;
    }

    public static Path file(String name) {
        return pki().resolve(name);
    }

    /**
     * The agent arguments of a TLS node with identity {@code cert}/{@code key} trusting {@code ca}, and
     * generous connect bounds: an Erlang node's first TLS connection starts its ssl application, which on a
     * busy machine takes seconds, and these tests are about TLS, not about the bounds (a test of a bound
     * uses {@link #tlsOnly}).
     */
    public static String agentArgs(String cert, String key, String ca) {
        return tlsOnly(cert, key, ca) + PATIENT_CONNECTS;
    }

    /** Connect bounds for tests that are not about them (see {@link #agentArgs}). */
    public static final String PATIENT_CONNECTS = ",connect.timeout=30s,connect.total-timeout=60s";

    /** The TLS settings alone, with the default connect bounds. */
    public static String tlsOnly(String cert, String key, String ca) {
        return "tls.enabled=true,tls.certfile=" + file(cert) + ",tls.keyfile=" + file(key) + ",tls.cacertfile="
                + file(ca);
    }

    /** An Erlang node's TLS identity and trust, and extra options, for its {@code ssl_dist} option file. */
    public static final class ErlangTls {
        String cert = "rsa.pem";
        String key = "rsa.key";
        String ca = "ca.pem";
        boolean clientCertificate = true;
        final List<String> both = new ArrayList<>();
        final List<String> client = new ArrayList<>();

        public static ErlangTls standard() {
            return new ErlangTls();
        }

        public ErlangTls identity(String certFile, String keyFile) {
            cert = certFile;
            key = keyFile;
            return this;
        }

        public ErlangTls trusting(String caFile) {
            ca = caFile;
            return this;
        }

        /** As a client, presents no certificate at all. */
        public ErlangTls anonymousClient() {
            clientCertificate = false;
            return this;
        }

        /** An option for both roles, in Erlang syntax, e.g. {@code {versions, ['tlsv1.3']}}. */
        public ErlangTls option(String erlangTerm) {
            both.add(erlangTerm);
            return this;
        }

        /** An option for the client role only, e.g. {@code {server_name_indication, disable}}. */
        public ErlangTls clientOption(String erlangTerm) {
            client.add(erlangTerm);
            return this;
        }

        /**
         * The option file: the server requires and verifies client certificates ({@code verify_peer},
         * {@code fail_if_no_peer_cert}); the client verifies the server (and checks its host name, OTP's default).
         */
        Path write(Path dir) {
            String common = "{cacertfile, \"" + file(ca) + "\"}, {verify, verify_peer}" + terms(both);
            String identity = "{certfile, \"" + file(cert) + "\"}, {keyfile, \"" + file(key) + "\"}, ";
            String text = "[{server, [" + identity + common + ", {fail_if_no_peer_cert, true}]},\n {client, ["
                    + (clientCertificate ? identity : "") + common + terms(client) + "]}].\n";
            Path f = dir.resolve("ssl_dist.conf");
            try {
                Files.writeString(f, text);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return f;
        }

        private static String terms(List<String> options) {
            StringBuilder b = new StringBuilder();
            for (String o : options) {
                b.append(", ").append(o);
            }
            return b.toString();
        }
    }

    /** Starts an epmd-less TLS Erlang node ({@code inet_tls}) of OTP 25 listening on {@code port}. */
    public static ErlangNode erlang(String name, DnsServer dns, int port, ErlangTls tls) {
        return erlang(Otp.otp25(), name, dns, port, tls);
    }

    /** Starts an epmd-less TLS Erlang node ({@code inet_tls}) of release {@code otp} listening on {@code port}. */
    public static ErlangNode erlang(Otp otp, String name, DnsServer dns, int port, ErlangTls tls) {
        return erlang(otp, name, dns, port, tls, "inet_tls", List.of());
    }

    /** As {@link #erlang(Otp, String, DnsServer, int, ErlangTls, String, List)} on OTP 25. */
    public static ErlangNode erlang(String name, DnsServer dns, int port, ErlangTls tls, String proto,
            List<String> more) {
        return erlang(Otp.otp25(), name, dns, port, tls, proto, more);
    }

    /**
     * Starts an epmd-less Erlang node of release {@code otp} with {@code -proto_dist proto} ({@code inet_tls},
     * {@code inet6_tls}, or a plain {@code inet_tcp} when {@code tls} is null) and more {@code erl} arguments.
     */
    public static ErlangNode erlang(Otp otp, String name, DnsServer dns, int port, ErlangTls tls, String proto,
            List<String> more) {
        List<String> args = new ArrayList<>(List.of("-proto_dist", proto));
        if (tls != null) {
            Path dir = ItEnv.newDir("tls-" + name.replaceAll("[^A-Za-z0-9_.-]", "_"));
            args.addAll(List.of("-ssl_dist_optfile", tls.write(dir).toString()));
        }
        args.addAll(more);
        return ErlangNode.start(otp, name, ItBase.COOKIE, dns, port, args);
    }

    /** Waits (bounded) until {@code app}'s stderr mentions {@code text}. */
    public static void awaitStderr(JavaApp app, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!app.stderr().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stderr never mentioned '" + text + "': " + app.describe());
            }
            ChildProcess.sleep(20);
        }
    }
}
