package io.srvepmd.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The JInterface a class loader sees, read without loading any of its classes:
 * where it is, its version, and the capability flags its handshake offers (the
 * constant {@code AbstractNode}'s constructors store in its {@code flags}
 * field, in every release from 1.6.1 to 1.16). Used by {@code doctor}.
 */
final class JInterfaceJar {

    private static final String NODE = "com/ericsson/otp/erlang/AbstractNode";
    private static final String POM = "META-INF/maven/org.erlang.otp/jinterface/pom.properties";
    /** An OTP installation's layout (also Debian's): {@code lib/jinterface-VERSION/priv/OtpErlang.jar}. */
    private static final Pattern OTP_LAYOUT = Pattern.compile(".*/jinterface-([0-9][0-9.]*)/priv/[^/]+\\.jar");
    /** A Maven repository's or a download's file name: {@code jinterface-VERSION.jar}. */
    private static final Pattern FILE_NAME = Pattern.compile(".*/jinterface-([0-9][0-9.]*[0-9])\\.jar");

    /** The jar (or directory) holding JInterface. */
    final String location;
    /** Its version, or null when neither the jar nor its path says. */
    final String version;
    /** The flags its handshake offers, or -1 when they cannot be read from its class file. */
    final long flags;

    private JInterfaceJar(String location, String version, long flags) {
        this.location = location;
        this.version = version;
        this.flags = flags;
    }

    /** @return the JInterface {@code loader} sees, or null if it sees none */
    static JInterfaceJar find(ClassLoader loader) {
        URL node = loader.getResource(NODE + ".class");
        if (node == null) {
            return null;
        }
        String url = node.toString();
        String location = url.startsWith("jar:file:") && url.contains("!/")
                ? url.substring("jar:file:".length(), url.indexOf("!/"))
                : url.substring(0, url.length() - (NODE + ".class").length());
        return new JInterfaceJar(location, version(loader, url, location), offeredFlags(node));
    }

    /** {@code 1.14.1 (/path/OtpErlang.jar)}, or {@code of unknown version (...)}. */
    String describe() {
        return (version == null ? "of unknown version" : version) + " (" + location + ")";
    }

    /** The flags of {@code required} its handshake lacks; 0 when the flags are unknown. */
    long lacks(long required) {
        return flags < 0 ? 0 : required & ~flags;
    }

    private static String version(ClassLoader loader, String nodeUrl, String location) {
        URL pom = loader.getResource(POM);
        if (pom != null && pom.toString().startsWith(nodeUrl.substring(0, nodeUrl.length() - NODE.length()
                - ".class".length()))) { // the same jar's, not another jar's
            Properties p = new Properties();
            try (InputStream in = pom.openStream()) {
                p.load(in);
                if (p.getProperty("version") != null) {
                    return p.getProperty("version");
                }
            } catch (IOException e) {
                // the path may still say
            }
        }
        for (Pattern pattern : new Pattern[] {OTP_LAYOUT, FILE_NAME}) {
            Matcher m = pattern.matcher(location);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static long offeredFlags(URL node) {
        try (InputStream in = node.openStream()) {
            FlagsFinder finder = new FlagsFinder();
            new ClassReader(in).accept(finder, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return finder.flags;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Finds {@code this.flags = CONSTANT} in a constructor: the last constant pushed before the store. */
    private static final class FlagsFinder extends ClassVisitor {
        long flags = -1;

        FlagsFinder() {
            super(Opcodes.ASM9);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            if (!name.equals("<init>")) {
                return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
                private Object constant;

                @Override
                public void visitLdcInsn(Object value) {
                    constant = value;
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String fieldDescriptor) {
                    if (opcode == Opcodes.PUTFIELD && owner.equals(NODE) && field.equals("flags")
                            && (constant instanceof Integer || constant instanceof Long)) {
                        flags = ((Number) constant).longValue();
                    }
                    constant = null;
                }

                // Any other instruction in between: the stored value is not that constant.
                @Override
                public void visitInsn(int opcode) {
                    constant = null;
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    constant = null;
                }

                @Override
                public void visitVarInsn(int opcode, int var) {
                    constant = null;
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String methodDescriptor,
                        boolean isInterface) {
                    constant = null;
                }
            };
        }
    }
}
