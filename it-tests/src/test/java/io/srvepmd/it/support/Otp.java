package io.srvepmd.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One Erlang/OTP installation the tests start nodes of, and the JInterface of
 * the same release that the Java side of a test uses with it:
 * <ul>
 * <li>OTP 25, the machine's own ({@code /usr/lib/erlang}, Debian 12), with JInterface 1.13.1;
 * <li>OTP 27, Debian 13's, unpacked beside it by {@code scripts/ensure-otp.sh 27} (the test
 * command runs it), with JInterface 1.14.1;
 * <li>OTP 29, Debian unstable's, by {@code scripts/ensure-otp.sh 29} (for scripts/compat.sh only),
 * with JInterface 1.16.
 * </ul>
 * Roots come from the system properties {@code it.otp25}, {@code it.otp27} and {@code it.otp29}
 * (it-tests/pom.xml). A release that is not there fails the test that asks for it, saying how to
 * provide it; it is never skipped.
 *
 * <p>With {@code -Dit.matrix=true} (scripts/compat.sh) the scenarios of {@link OnEachOtp} run on
 * every pair instead: OTP 25, 27 and 29, each with JInterface 1.13.1, 1.14.1 and 1.16.
 */
public final class Otp {

    private static Otp otp25;
    private static Otp otp27;
    private static Otp otp29;

    private final String major;
    private final Path root;
    private final JavaApp.JInterface jinterface;
    private final String version;

    private Otp(String major, Path root, JavaApp.JInterface jinterface, String version) {
        this.major = major;
        this.root = root;
        this.jinterface = jinterface;
        this.version = version;
    }

    private Otp(String major, Path root, JavaApp.JInterface jinterface) {
        this.major = major;
        this.root = root;
        this.jinterface = jinterface;
        if (!Files.isExecutable(erl())) {
            throw new AssertionError("OTP " + major + " is not at " + root + " (system property it.otp" + major
                    + "): no executable " + erl() + (major.equals("25") ? "; install erlang-base"
                    : "; run bash scripts/ensure-otp.sh " + major + " and pass its output as -Dit.otp" + major));
        }
        if (!Files.isRegularFile(jinterface.jar())) {
            throw new AssertionError("JInterface " + jinterface.version() + " of OTP " + major + " is not at "
                    + jinterface.jar());
        }
        try {
            this.version = Files.readString(root.resolve("releases").resolve(major).resolve("OTP_VERSION")).trim();
        } catch (IOException e) {
            throw new AssertionError("OTP " + major + " at " + root + " has no releases/" + major + "/OTP_VERSION", e);
        }
    }

    /** The machine's OTP 25 (Debian 12's {@code erlang-base}), the default of every test. */
    public static synchronized Otp otp25() {
        if (otp25 == null) {
            otp25 = new Otp("25", ItEnv.otpRoot("25"), JavaApp.JInterface.V1_13_1);
        }
        return otp25;
    }

    /** Debian 13's OTP 27 with JInterface 1.14.1. */
    public static synchronized Otp otp27() {
        if (otp27 == null) {
            otp27 = new Otp("27", ItEnv.otpRoot("27"), JavaApp.JInterface.V1_14_1);
        }
        return otp27;
    }

    /** Debian unstable's OTP 29 with JInterface 1.16 (scripts/compat.sh provides it). */
    public static synchronized Otp otp29() {
        if (otp29 == null) {
            otp29 = new Otp("29", ItEnv.otpRoot("29"), JavaApp.JInterface.V1_16);
        }
        return otp29;
    }

    /**
     * The releases every scenario that involves an Erlang node runs against: OTP 25 and 27, each with its own
     * JInterface; with {@code it.matrix=true}, OTP 25, 27 and 29 each with the JInterface of every one of them.
     */
    public static Stream<Otp> tested() {
        if (!Boolean.getBoolean("it.matrix")) {
            return Stream.of(otp25(), otp27());
        }
        List<Otp> releases = List.of(otp25(), otp27(), otp29());
        return releases.stream().flatMap(otp -> releases.stream().map(other -> otp.with(other.jinterface)));
    }

    /** This release with the Java side on {@code other} (a JInterface of another release). */
    public Otp with(JavaApp.JInterface other) {
        return new Otp(major, root, other, version);
    }

    /** The major release, e.g. {@code 27}. */
    public String major() {
        return major;
    }

    /** The exact release, e.g. {@code 27.3.4.1} (its {@code releases/N/OTP_VERSION}). */
    public String version() {
        return version;
    }

    /** The installation's root (its {@code bin/}, {@code lib/}, {@code releases/}). */
    public Path root() {
        return root;
    }

    public Path erl() {
        return root.resolve("bin").resolve("erl");
    }

    public Path erlc() {
        return root.resolve("bin").resolve("erlc");
    }

    /** The JInterface of this release. */
    public JavaApp.JInterface jinterface() {
        return jinterface;
    }

    /** How parameterized tests name their cases. */
    @Override
    public String toString() {
        return "OTP " + version + ", JInterface " + jinterface.version();
    }
}
