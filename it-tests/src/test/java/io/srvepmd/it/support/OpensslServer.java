package io.srvepmd.it.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's {@code openssl s_server} on a loopback port with a certificate of the test PKI: a TLS server
 * that is neither the agent nor OTP, to see what only a server sees of a client, the server name (SNI) it
 * sends. It serves one connection at a time and prints, for each, {@code Hostname in TLS extension:
 * "NAME"} when the client sent one (only when given a second certificate to choose by name: it gets the
 * same one again) and {@code CIPHER is ...} when the handshake is done. It asks for no client certificate.
 */
public final class OpensslServer implements AutoCloseable {

    private static final Pattern SERVER_NAME = Pattern.compile("Hostname in TLS extension: \"(.*)\"");
    private static final Pattern HANDSHAKE_DONE = Pattern.compile("CIPHER is .*");

    private final ChildProcess process;

    private OpensslServer(ChildProcess process) {
        this.process = process;
    }

    /** Starts it on 127.0.0.1:{@code port} with {@code cert} and {@code key} (files of {@link TlsLab#pki()}). */
    public static OpensslServer start(int port, String cert, String key) {
        String certFile = TlsLab.file(cert).toString();
        String keyFile = TlsLab.file(key).toString();
        List<String> command = List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", certFile,
                "-key", keyFile, "-servername", "unused.invalid", "-cert2", certFile, "-key2", keyFile);
        Path dir = ItEnv.newDir("s_server");
        ChildProcess child;
        try {
            child = new ChildProcess("s_server", command, ChildProcess.cleanEnvironment(), dir);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
        OpensslServer server = new OpensslServer(child);
        try {
            child.awaitLine("ACCEPT", Duration.ofSeconds(20));
        } catch (AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Waits (bounded) until {@code count} TLS handshakes are done, and returns the server names the clients
     * sent so far, in order (a client that sent none adds nothing).
     */
    public List<String> serverNamesAfterHandshakes(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.stdoutLines().stream().filter(l -> HANDSHAKE_DONE.matcher(l).matches()).count() < count) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("s_server did not see " + count + " TLS handshake(s) within " + timeout
                        + ": " + process.describe());
            }
            ChildProcess.sleep(20);
        }
        return process.stdoutLines().stream().map(SERVER_NAME::matcher).filter(Matcher::matches)
                .map(m -> m.group(1)).collect(Collectors.toList());
    }

    /** Ends the current connection (s_server's {@code q} command) and goes on serving the next. */
    public void endConnection() {
        process.send("q");
    }

    public String describe() {
        return process.describe();
    }

    @Override
    public void close() {
        process.close();
    }
}
