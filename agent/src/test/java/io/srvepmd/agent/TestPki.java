package io.srvepmd.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The certificates and keys of scripts/test-pki.sh, made once per test JVM with
 * Debian's openssl under target/ (nothing of it is committed).
 */
final class TestPki {

    private static Path dir;

    private TestPki() {
    }

    static synchronized Path dir() {
        if (dir != null) {
            return dir;
        }
        Path out = Paths.get("target", "test-pki-" + ProcessHandle.current().pid()).toAbsolutePath();
        Path script = Paths.get("..", "scripts", "test-pki.sh").toAbsolutePath().normalize();
        try {
            Process p = new ProcessBuilder("bash", script.toString(), out.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " failed (is openssl installed?)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        dir = out;
        return out;
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(file(name));
    }

    /** Settings as the agent reads them, from agent arguments only. */
    static Settings settings(String agentArgs) throws ConfigException {
        return Settings.load(agentArgs, new Properties(), Map.of(), CoreSettings.KEYS);
    }

    /** tls.* agent arguments for identity {@code cert}/{@code key} trusting {@code ca}, plus {@code more}. */
    static String args(String cert, String key, String ca, String more) {
        return "tls.enabled=true,tls.certfile=" + file(cert) + ",tls.keyfile=" + file(key) + ",tls.cacertfile="
                + file(ca) + (more.isEmpty() ? "" : "," + more);
    }

    static TlsSettings tlsSettings(String agentArgs) throws ConfigException {
        return TlsSettings.from(settings(agentArgs), 2000);
    }
}
