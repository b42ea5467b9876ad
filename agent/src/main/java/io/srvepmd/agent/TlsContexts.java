package io.srvepmd.agent;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS material in use, renewed when its files change: cert-manager, Vault
 * and Consul rotate leaf certificates every few hours or days, and a node
 * must not need a restart for it. Every new connection (made or accepted)
 * reads the files (a few small reads; a TLS handshake costs far more) and,
 * when their bytes differ from those in use, loads them anew. Established
 * connections keep the session they have.
 *
 * <p>A new set that does not load (a key written before its certificate, an
 * expired certificate) leaves the previous one in use, with one warning per
 * distinct set of bytes, and is tried again on the next connection after the
 * files change once more.
 */
final class TlsContexts {

    /** The files' contents, read together; a file that could not be read has a problem instead. */
    static final class Snapshot {
        private final Map<Path, byte[]> contents = new HashMap<>();
        private final Map<Path, String> problems = new HashMap<>();

        static Snapshot read(List<Path> files) {
            Snapshot s = new Snapshot();
            for (Path f : files) {
                if (s.contents.containsKey(f) || s.problems.containsKey(f)) {
                    continue; // the same file under two settings
                }
                try {
                    s.contents.put(f, Files.readAllBytes(f));
                } catch (NoSuchFileException e) {
                    s.problems.put(f, "does not exist; check the path (mounted secret, volume, working directory)");
                } catch (AccessDeniedException e) {
                    s.problems.put(f, "cannot be read (permission denied); let the user the JVM runs as read it");
                } catch (IOException e) {
                    s.problems.put(f, "cannot be read (" + (Files.isDirectory(f) ? "a directory" : e.toString())
                            + "); give the path of a file");
                }
            }
            return s;
        }

        byte[] content(Path file) {
            return contents.get(file);
        }

        String problem(Path file) {
            return problems.get(file);
        }

        boolean sameAs(Snapshot other) {
            if (other == null || !problems.equals(other.problems) || !contents.keySet().equals(other.contents.keySet())) {
                return false;
            }
            for (Map.Entry<Path, byte[]> e : contents.entrySet()) {
                if (!Arrays.equals(e.getValue(), other.contents.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final TlsSettings settings;
    private final TlsStats stats;
    private volatile TlsMaterial current;
    private Snapshot loaded;
    private Snapshot refused;

    private TlsContexts(TlsSettings settings, TlsStats stats, TlsMaterial first, Snapshot loaded) {
        this.settings = settings;
        this.stats = stats;
        this.current = first;
        this.loaded = loaded;
    }

    /** Loads the files once, at start-up: any problem stops the agent (one line, exit 78). */
    static TlsContexts start(TlsSettings settings, TlsStats stats) throws ConfigException {
        Snapshot files = Snapshot.read(settings.files());
        TlsMaterial m = TlsMaterial.load(settings, files, new Date());
        for (String w : m.warnings) {
            AgentLog.warn(w);
        }
        stats.material(m);
        return new TlsContexts(settings, stats, m, files);
    }

    /** The material for a new connection: the files' current one if it loads, else the one in use. */
    TlsMaterial forNewConnection() {
        Snapshot now = Snapshot.read(settings.files());
        synchronized (this) {
            if (now.sameAs(loaded) || now.sameAs(refused)) {
                return current;
            }
            try {
                TlsMaterial m = TlsMaterial.load(settings, now, new Date());
                current = m;
                loaded = now;
                refused = null;
                stats.reloaded(m);
                for (String w : m.warnings) {
                    AgentLog.warn("after reloading the TLS files: " + w);
                }
            } catch (ConfigException e) {
                refused = now;
                stats.reloadFailed(e.getMessage());
                AgentLog.warn("the TLS files changed but cannot be used, so new connections keep the previous"
                        + " certificate (" + TlsMaterial.subject(current.certificate()) + "): " + e.getMessage());
            }
            return current;
        }
    }

    /** The material in use, without looking at the files. */
    TlsMaterial current() {
        return current;
    }
}
