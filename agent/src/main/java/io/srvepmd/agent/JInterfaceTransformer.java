package io.srvepmd.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands the hooked JInterface classes to {@link HookRewriter}, in whatever
 * class loader they appear while it is installed, and ignores every other
 * class at the cost of one string check. It stays installed until the system
 * class loader's copy is hooked (a fat jar's own loader, say, may load
 * JInterface at any time); then the agent removes it, sparing every later
 * class load the JVM's class-file-load hook, unless
 * {@code jinterface.every-loader=true} asks it to hook copies that other
 * loaders load later too.
 *
 * <p>A JInterface build in which some hooked methods are missing would be
 * half-hooked (its publish hooked, its lookups going to a real epmd, say)
 * without a word. So every rewrite is counted per method, and a class that
 * lacks any makes the agent refuse: at start-up the JVM stops with the one-line
 * error; later, every hook answers with that error instead of working.
 */
final class JInterfaceTransformer implements ClassFileTransformer {

    /** Binary names of the classes this transformer rewrites. */
    static final Set<String> TARGETS = Set.of("com.ericsson.otp.erlang.OtpEpmd",
            "com.ericsson.otp.erlang.AbstractNode", "com.ericsson.otp.erlang.AbstractConnection");

    private final AtomicInteger rewritten = new AtomicInteger();
    /** The binary names of the target classes this transformer rewrote, in any loader. */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    /** The target classes the last {@link #hookNow} found loaded before this transformer could see them. */
    private volatile List<Class<?>> unseen = List.of();
    private volatile String refusal;
    /** Set while {@link #hookNow} loads: its caller reports a refusal, as start-up's one line. */
    private volatile boolean callerReports;

    /** What {@link #hookNow} found. */
    enum Found {
        /** JInterface is not on the system class path (a fat jar's own loader, say): keep watching. */
        NOT_YET,
        /** Both classes loaded and fully hooked: the transformer may be removed. */
        HOOKED,
        /** A class lacks hooked methods: see {@link #refusal()}. */
        REFUSED
    }

    /**
     * Loads (without initialising) the hooked classes through {@code loader}
     * while this transformer is installed, so that they are rewritten now; the
     * caller may then remove the transformer, sparing every later class load
     * the JVM's class-file-load hook (~15-20 ms over a typical start-up).
     */
    Found hookNow(ClassLoader loader) {
        if (loader.getResource("com/ericsson/otp/erlang/OtpEpmd.class") == null) {
            return Found.NOT_YET;
        }
        boolean loaded = false;
        callerReports = true;
        List<Class<?>> missed = new ArrayList<>();
        try {
            for (String name : TARGETS) {
                Class<?> c = Class.forName(name, false, loader);
                if (!seen.contains(name)) {
                    missed.add(c);
                }
            }
            loaded = true;
        } catch (ClassNotFoundException | LinkageError e) {
            // not (fully) loadable through this loader: keep watching
        } finally {
            callerReports = false;
        }
        unseen = List.copyOf(missed);
        if (refusal != null) {
            return Found.REFUSED;
        }
        return loaded && rewritten.get() == TARGETS.size() ? Found.HOOKED : Found.NOT_YET;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        if (className == null || !className.startsWith("com/ericsson/otp/erlang/")) {
            return null;
        }
        try {
            Set<String> hooked = new HashSet<>();
            byte[] result = HookRewriter.rewrite(className, classFile, hooked);
            if (result == null) {
                return null;
            }
            List<String> missing = HookRewriter.missing(className, hooked);
            if (!missing.isEmpty()) {
                refuse(className.replace('/', '.') + " lacks " + String.join(", ", missing));
            }
            rewritten.incrementAndGet();
            seen.add(className.replace('/', '.'));
            return result;
        } catch (Throwable e) {
            // The JVM would swallow the exception and load the class unmodified, talking to epmd.
            refuse("cannot rewrite " + className.replace('/', '.') + ": " + e);
            return null;
        }
    }

    /** The end of a refusal: the builds the agent runs with (Maven Central's; OTP 25's, 27's, 29's), what to do. */
    static final String KNOWN_BUILDS = "the agent works with JInterface 1.6.1, 1.13.x, 1.14.x and 1.16: use the"
            + " OtpErlang.jar of your nodes' OTP release (lib/jinterface-VERSION/priv in its installation; Debian:"
            + " erlang-jinterface), or report this build";

    private void refuse(String why) {
        String message = "unsupported JInterface build (" + why + "); the agent refuses to run half-hooked, with"
                + " some calls going to epmd; " + KNOWN_BUILDS;
        if (refusal == null) {
            refusal = message;
        }
        Hooks.refuse("srv-epmd: " + message);
        if (!callerReports) { // at start-up the JVM stops with the one line; a warning too would be a second voice
            AgentLog.warn(message);
        }
    }

    /**
     * @return the JInterface classes the last {@link #hookNow} found already loaded, unseen by this
     *         transformer: loaded before it was installed. A JDK 24+ AOT cache
     *         ({@code -XX:AOTCache}) that holds them makes the JVM load them at start-up, before
     *         {@code premain}; they must be retransformed, or JInterface would talk to epmd.
     */
    List<Class<?>> unseen() {
        return unseen;
    }

    /** @return why the agent refuses this JInterface, or {@code null} */
    String refusal() {
        return refusal;
    }
}
