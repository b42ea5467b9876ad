package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GnuPG with a home directory of its own: either a throwaway signing key made
 * at test time (no passphrase; never a committed key), or only a public key,
 * as someone verifying a download has. The home is a short directory under
 * {@code /tmp}, since gpg-agent's socket lives there and a socket path must
 * fit in 108 bytes. {@link #close()} stops the gpg-agent that gpg started for
 * this home ({@code gpgconf --kill all}; it runs as a daemon, outside the
 * tests' process tree), waits until it is gone, and deletes the home with any
 * private key in it.
 */
public final class Gpg implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Path home;

    private Gpg(Path home) {
        this.home = home;
    }

    /** A new home holding one fresh Ed25519 signing key without a passphrase. */
    public static Gpg withThrowawayKey() {
        Gpg gpg = new Gpg(newHome());
        gpg.run("gen-key", "--passphrase", "", "--pinentry-mode", "loopback",
                "--quick-gen-key", "srv-epmd test signer <test-signer@srv-epmd.invalid>", "ed25519", "sign", "never");
        return gpg;
    }

    /** A new home that knows only the public key in {@code armored}. */
    public static Gpg withPublicKey(Path armored) {
        Gpg gpg = new Gpg(newHome());
        gpg.run("import", "--import", armored.toString());
        return gpg;
    }

    /** The value for {@code GNUPGHOME}. */
    public Path home() {
        return home;
    }

    /** The one key's fingerprint. */
    public String fingerprint() {
        List<String> fprs = run("list-keys", "--with-colons", "--list-keys").lines()
                .filter(l -> l.startsWith("fpr:")).map(l -> l.split(":")[9]).collect(Collectors.toList());
        if (fprs.size() != 1) {
            throw new AssertionError("expected one key in " + home + ", found " + fprs);
        }
        return fprs.get(0);
    }

    /** The public key, ASCII-armoured, as a project publishes it. */
    public String exportPublicKey() {
        return run("export", "--armor", "--export");
    }

    /**
     * {@code gpg --verify SIGNATURE FILE}.
     *
     * @return gpg's machine-readable status lines ({@code [GNUPG:] VALIDSIG FINGERPRINT ...} for a good
     *         signature) and its exit status
     */
    public Verification verify(Path file, Path signature) {
        try (Command gpg = command("verify", "--status-fd", "1", "--verify", signature.toString(), file.toString())) {
            int status = gpg.waitFor(PATIENCE);
            return new Verification(status, gpg.stdout(), gpg.stderr());
        }
    }

    /** The outcome of one {@code gpg --verify}. */
    public static final class Verification {
        public final int status;
        public final String statusLines;
        public final String messages;

        Verification(int status, String statusLines, String messages) {
            this.status = status;
            this.statusLines = statusLines;
            this.messages = messages;
        }

        /** Exit 0 and a VALIDSIG line naming the key {@code fingerprint}. */
        public boolean validBy(String fingerprint) {
            return status == 0 && statusLines.lines().anyMatch(l -> l.startsWith("[GNUPG:] VALIDSIG " + fingerprint + " "));
        }

        @Override
        public String toString() {
            return "exit " + status + "\n" + statusLines + messages;
        }
    }

    @Override
    public void close() {
        try (Command kill = Command.start("gpgconf-kill", List.of("gpgconf", "--homedir", home.toString(), "--kill",
                "all"), Map.of())) {
            kill.waitFor(PATIENCE);
        }
        awaitNoAgent();
        ThirdPartyMaven.deleteTree(home);
    }

    private void awaitNoAgent() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!agents().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gpg-agent " + agents() + " for " + home + " still runs " + PATIENCE
                        + " after gpgconf --kill all");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** gpg-agent processes serving this home (they name it on their command line). */
    private List<Long> agents() {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            List<String> args = p.info().arguments().map(List::of).orElse(List.of());
            if (p.info().command().map(c -> c.endsWith("gpg-agent")).orElse(false)
                    && args.contains(home.toString())) {
                pids.add(p.pid());
            }
        });
        return pids;
    }

    private String run(String label, String... args) {
        try (Command gpg = command(label, args)) {
            int status = gpg.waitFor(PATIENCE);
            if (status != 0) {
                throw new AssertionError("gpg " + String.join(" ", args) + " failed (exit " + status + "): "
                        + gpg.stderr());
            }
            return gpg.stdout();
        }
    }

    private Command command(String label, String... args) {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--no-tty"));
        command.addAll(List.of(args));
        return Command.start("gpg-" + label, command, Map.of());
    }

    private static Path newHome() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "srvepmd-gpg",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a GnuPG home under /tmp", e);
        }
    }
}
