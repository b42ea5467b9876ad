package io.srvepmd.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;

/**
 * Hands the two hooked JInterface classes to {@link HookRewriter}, in whatever
 * class loader they appear, and ignores every other class at the cost of one
 * set look-up.
 */
final class JInterfaceTransformer implements ClassFileTransformer {

    /** Binary names of the classes this transformer rewrites. */
    public static final Set<String> TARGETS = Set.of(
            "com.ericsson.otp.erlang.OtpEpmd", "com.ericsson.otp.erlang.AbstractNode");

    private volatile Throwable failure;
    private final AtomicInteger rewritten = new AtomicInteger();

    /**
     * Loads (without initialising) the hooked classes through {@code loader}
     * while this transformer is installed, so that they are rewritten now.
     *
     * @return whether both were found and rewritten; the caller may then remove
     *         the transformer, sparing every later class load the JVM's
     *         class-file-load hook (~15-20 ms over a typical start-up)
     */
    public boolean hookNow(ClassLoader loader) {
        if (loader.getResource("com/ericsson/otp/erlang/OtpEpmd.class") == null) {
            return false; // JInterface lives in a loader created later (fat jar): keep watching
        }
        try {
            for (String name : TARGETS) {
                Class.forName(name, false, loader);
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        return rewritten.get() == TARGETS.size();
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        if (className == null || !className.startsWith("com/ericsson/otp/erlang/")) {
            return null;
        }
        try {
            byte[] result = HookRewriter.rewrite(className, classFile);
            if (result != null) {
                rewritten.incrementAndGet();
            }
            return result;
        } catch (RuntimeException | LinkageError e) {
            // The JVM would swallow the exception and load the class unmodified: say so.
            failure = e;
            AgentLog.warnOnce("rewrite:" + className, "cannot hook " + className.replace('/', '.')
                    + " (unsupported JInterface build?); it will talk to epmd as usual: " + e);
            return null;
        }
    }

    /** @return the first rewrite failure, if any (an unknown JInterface build) */
    public Throwable failure() {
        return failure;
    }
}
