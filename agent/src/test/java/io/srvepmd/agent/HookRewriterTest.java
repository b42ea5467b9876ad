package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Rewrites the real JInterface classes and reads the result back with ASM:
 * exactly the hooked methods become one call to {@code Hooks}, everything else
 * is as it was, and the JVM verifies and runs the result.
 */
class HookRewriterTest {

    private static final String EPMD = "com/ericsson/otp/erlang/OtpEpmd";
    private static final String NODE = "com/ericsson/otp/erlang/AbstractNode";

    /** Every member of a class with a listing of its code, in a comparable form. */
    private static Map<String, List<String>> members(byte[] classFile) {
        Map<String, List<String>> members = new TreeMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                members.put("class", List.of(version + " " + access + " " + name + " " + superName + " "
                        + String.join(",", interfaces == null ? new String[0] : interfaces)));
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                                           Object value) {
                members.put("field " + name + descriptor, List.of(access + " " + value));
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                List<String> code = new ArrayList<>();
                code.add("access " + access + " throws " + (exceptions == null ? "" : String.join(",", exceptions)));
                members.put(name + descriptor, code);
                return new Recorder(code);
            }
        }, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return members;
    }

    /** Records instructions as text; labels by order of appearance. */
    private static final class Recorder extends MethodVisitor {
        private final List<String> code;
        private final Map<Label, Integer> labels = new LinkedHashMap<>();

        Recorder(List<String> code) {
            super(Opcodes.ASM9);
            this.code = code;
        }

        private String label(Label l) {
            return "L" + labels.computeIfAbsent(l, k -> labels.size());
        }

        @Override
        public void visitInsn(int opcode) {
            code.add("insn " + opcode);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            code.add("int " + opcode + " " + operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            code.add("var " + opcode + " " + var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            code.add("type " + opcode + " " + type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            code.add("field " + opcode + " " + owner + "." + name + descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
            code.add("method " + opcode + " " + owner + "." + name + descriptor);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
            code.add("indy " + name + descriptor + " " + bsm);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            code.add("jump " + opcode + " " + label(label));
        }

        @Override
        public void visitLabel(Label label) {
            code.add("label " + label(label));
        }

        @Override
        public void visitLdcInsn(Object value) {
            code.add("ldc " + value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            code.add("iinc " + var + " " + increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            code.add("tableswitch " + min + " " + max);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            code.add("lookupswitch " + keys.length);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int dims) {
            code.add("multianewarray " + descriptor + " " + dims);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            code.add("try " + label(start) + " " + label(end) + " " + label(handler) + " " + type);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            code.add("maxs " + maxStack + " " + maxLocals);
        }
    }

    private static final String HOOKS = "io/srvepmd/agent/Hooks";
    private static final String OBJ = "Ljava/lang/Object;";

    /** The whole expected body of each hooked method (after its access/throws line). */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "publishPort(Lcom/ericsson/otp/erlang/OtpLocalNode;)Z",
            List.of("var 25 0", "method 184 " + HOOKS + ".publishPort(" + OBJ + ")Z", "insn 172"),
            "unPublishPort(Lcom/ericsson/otp/erlang/OtpLocalNode;)V",
            List.of("var 25 0", "method 184 " + HOOKS + ".unPublishPort(" + OBJ + ")V", "insn 177"),
            "lookupPort(Lcom/ericsson/otp/erlang/AbstractNode;)I",
            List.of("var 25 0", "method 184 " + HOOKS + ".lookupPort(" + OBJ + ")I", "insn 172"),
            "createTransport(Ljava/lang/String;I)Lcom/ericsson/otp/erlang/OtpTransport;",
            List.of("var 25 0", "var 25 1", "var 21 2",
                    "method 184 " + HOOKS + ".createTransport(" + OBJ + "Ljava/lang/String;I)" + OBJ,
                    "type 192 com/ericsson/otp/erlang/OtpTransport", "insn 176"),
            "createServerTransport(I)Lcom/ericsson/otp/erlang/OtpServerTransport;",
            List.of("var 25 0", "var 21 1",
                    "method 184 " + HOOKS + ".createServerTransport(" + OBJ + "I)" + OBJ,
                    "type 192 com/ericsson/otp/erlang/OtpServerTransport", "insn 176"));

    private static final List<String> NAMES_BODY =
            List.of("method 184 " + HOOKS + ".lookupNames()[Ljava/lang/String;", "insn 176");

    private static List<String> expectedBody(String method) {
        return method.startsWith("lookupNames(") ? NAMES_BODY : EXPECTED.get(method);
    }

    private static void assertRewrittenExactly(String className, Function<String, byte[]> source) {
        byte[] original = source.apply(className);
        byte[] rewritten = HookRewriter.rewrite(className, original, new java.util.HashSet<>());
        assertNotNull(rewritten);
        Map<String, List<String>> before = members(original);
        Map<String, List<String>> after = members(rewritten);
        assertEquals(before.keySet(), after.keySet(), "no member added or removed");

        Map<String, String[]> hooked = HookRewriter.HOOKED.get(className);
        int rewrittenCount = 0;
        for (String member : before.keySet()) {
            List<String> was = before.get(member);
            List<String> is = after.get(member);
            if (hooked.containsKey(member)) {
                rewrittenCount++;
                assertEquals(was.get(0), is.get(0), "access and throws kept: " + member);
                List<String> body = is.subList(1, is.size());
                List<String> code = new ArrayList<>(body.subList(0, body.size() - 1));
                assertEquals(expectedBody(member), code, member);
                assertTrue(body.get(body.size() - 1).startsWith("maxs "), member);
                assertNotEquals(was, is, "the original body of " + member + " is replaced");
            } else {
                assertEquals(was, is, "untouched: " + member);
                assertTrue(is.stream().noneMatch(s -> s.contains(HOOKS)), member);
            }
        }
        assertEquals(hooked.size(), rewrittenCount, "every hooked method exists in " + className
                + " and was rewritten");
    }

    @Test
    void otpEpmdOf161() {
        assertRewrittenExactly(EPMD, JInterfaceJars::fromClassPath);
    }

    @Test
    void abstractNodeOf161() {
        assertRewrittenExactly(NODE, JInterfaceJars::fromClassPath);
    }

    @Test
    void otpEpmdAndAbstractNodeOfDebian1131() {
        Path jar = JInterfaceJars.DEBIAN_1_13_1;
        Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " is absent (Debian's erlang-jinterface)");
        assertRewrittenExactly(EPMD, name -> JInterfaceJars.fromJar(jar, name));
        assertRewrittenExactly(NODE, name -> JInterfaceJars.fromJar(jar, name));
    }

    private static final String CONNECTION = "com/ericsson/otp/erlang/AbstractConnection";

    /**
     * In AbstractConnection only the connecting constructor changes, and in it exactly
     * the two calls: the lookup and the connect-and-handshake, now calls of Hooks.
     */
    private static void assertConnectionRedirectedExactly(Function<String, byte[]> source, String connectMethod) {
        byte[] original = source.apply(CONNECTION);
        java.util.Set<String> hooked = new java.util.HashSet<>();
        Map<String, List<String>> before = members(original);
        Map<String, List<String>> after = members(HookRewriter.rewrite(CONNECTION, original, hooked));
        assertEquals(before.keySet(), after.keySet(), "no member added or removed");
        String constructor = HookRewriter.CONNECTING_CONSTRUCTOR;
        for (String member : before.keySet()) {
            if (!member.equals(constructor)) {
                assertEquals(before.get(member), after.get(member), "untouched: " + member);
            }
        }
        List<String> was = before.get(constructor);
        List<String> is = after.get(constructor);
        assertEquals(was.size(), is.size(), "instruction for instruction");
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < was.size(); i++) {
            if (!was.get(i).equals(is.get(i))) {
                changed.add(was.get(i) + " -> " + is.get(i));
            }
        }
        assertEquals(List.of(
                "method 184 com/ericsson/otp/erlang/OtpEpmd.lookupPort(Lcom/ericsson/otp/erlang/AbstractNode;)I"
                        + " -> method 184 " + HOOKS + ".lookupPortToConnect(" + OBJ + ")I",
                "method 182 " + CONNECTION + "." + connectMethod + "(I)V -> method 184 " + HOOKS + ".connectPort("
                        + OBJ + "I)V"), changed);
        assertEquals(List.of(), HookRewriter.missing(CONNECTION, hooked));
    }

    @Test
    void abstractConnectionOf161() {
        assertConnectionRedirectedExactly(JInterfaceJars::fromClassPath, "doConnect");
    }

    @Test
    void abstractConnectionOfDebian1131() {
        Path jar = JInterfaceJars.DEBIAN_1_13_1;
        Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " is absent (Debian's erlang-jinterface)");
        assertConnectionRedirectedExactly(name -> JInterfaceJars.fromJar(jar, name), "doPortConnect");
    }

    /** AbstractConnection of the 1.6.1 jar whose connecting constructor calls {@code owner.name} otherwise. */
    private static byte[] withCallRenamed(String name, String renamed) {
        ClassReader reader = new ClassReader(JInterfaceJars.fromClassPath(CONNECTION));
        net.bytebuddy.jar.asm.ClassWriter writer = new net.bytebuddy.jar.asm.ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, method, descriptor, signature, exceptions);
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String called, String desc, boolean itf) {
                        super.visitMethodInsn(opcode, owner, called.equals(name) ? renamed : called, desc, itf);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    @Test
    void aConnectionThatConnectsOtherwiseIsRefusedNotHalfHooked() {
        JInterfaceTransformer t = new JInterfaceTransformer();
        try (CapturedWarnings warnings = new CapturedWarnings()) {
            assertNotNull(t.transform(null, CONNECTION, null, null, withCallRenamed("doConnect", "doOtherConnect")));
            assertTrue(t.refusal().startsWith("unsupported JInterface build (com.ericsson.otp.erlang.AbstractConnection"
                    + " lacks " + HookRewriter.CONNECT_CALL + ")"), t.refusal());
        } finally {
            Hooks.refuse(null);
        }
    }

    @Test
    void otherClassesAreNotRewritten() {
        String self = "com/ericsson/otp/erlang/OtpSelf";
        assertNull(HookRewriter.rewrite(self, JInterfaceJars.fromClassPath(self), new java.util.HashSet<>()));
        assertNull(new JInterfaceTransformer().transform(null, "java/lang/String", null, null, new byte[0]));
        assertNull(new JInterfaceTransformer().transform(null, null, null, null, new byte[0]));
    }

    @Test
    void transformerRewritesTheTargets() {
        byte[] original = JInterfaceJars.fromClassPath(EPMD);
        byte[] viaTransformer = new JInterfaceTransformer().transform(null, EPMD, null, null, original);
        assertNotNull(viaTransformer);
        assertEquals(members(HookRewriter.rewrite(EPMD, original, new java.util.HashSet<>())), members(viaTransformer));
        assertTrue(JInterfaceTransformer.TARGETS.contains(EPMD.replace('/', '.')));
        assertTrue(JInterfaceTransformer.TARGETS.contains(NODE.replace('/', '.')));
        assertTrue(JInterfaceTransformer.TARGETS.contains(CONNECTION.replace('/', '.')));
    }

    @Test
    void transformerRefusesAnUnreadableClassInsteadOfThrowing() {
        JInterfaceTransformer t = new JInterfaceTransformer();
        try {
            assertNull(t.transform(null, EPMD, null, null, new byte[] {1, 2, 3}));
            assertTrue(t.refusal().startsWith("unsupported JInterface build (cannot rewrite"
                    + " com.ericsson.otp.erlang.OtpEpmd: "), t.refusal());
        } finally {
            Hooks.refuse(null);
        }
    }

    /** OtpEpmd of the 1.6.1 jar without one of its methods: a JInterface build the agent does not know. */
    private static byte[] withoutMethod(String className, String method) {
        ClassReader reader = new ClassReader(JInterfaceJars.fromClassPath(className));
        net.bytebuddy.jar.asm.ClassWriter writer = new net.bytebuddy.jar.asm.ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return (name + descriptor).equals(method) ? null
                        : super.visitMethod(access, name, descriptor, signature, exceptions);
            }
        }, 0);
        return writer.toByteArray();
    }

    @Test
    void aBuildLackingAHookedMethodIsRefusedNotHalfHooked() throws Exception {
        JInterfaceTransformer t = new JInterfaceTransformer();
        try (CapturedWarnings warnings = new CapturedWarnings()) {
            byte[] odd = withoutMethod(EPMD, "lookupPort(Lcom/ericsson/otp/erlang/AbstractNode;)I");
            assertNotNull(t.transform(null, EPMD, null, null, odd), "what is there is still hooked");
            String expected = "unsupported JInterface build (com.ericsson.otp.erlang.OtpEpmd lacks"
                    + " lookupPort(AbstractNode)); the agent refuses to run half-hooked, with some calls going"
                    + " to epmd; " + JInterfaceTransformer.KNOWN_BUILDS;
            assertEquals(expected, t.refusal());
            assertEquals(1, warnings.mentioning(expected));
            // every hook now fails with the refusal instead of working half-way
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    Hooks::lookupNames);
            assertEquals("srv-epmd: " + expected, e.getMessage());
        } finally {
            Hooks.refuse(null);
        }
    }

    private static void verifiesAndLinks(Path jar) throws Exception {
        JInterfaceJars.RewritingLoader loader = new JInterfaceJars.RewritingLoader(jar,
                HookRewriterTest.class.getClassLoader());
        for (String name : List.of(EPMD, NODE, "com/ericsson/otp/erlang/OtpSelf", "com/ericsson/otp/erlang/OtpNode",
                "com/ericsson/otp/erlang/AbstractConnection")) {
            // initialize=true links, and linking runs the bytecode verifier on the rewritten bodies
            Class<?> c = Class.forName(name.replace('/', '.'), true, loader);
            assertEquals(loader, c.getClassLoader());
        }
        assertNull(loader.transformer().refusal());
    }

    @Test
    void rewritten161ClassesPassTheVerifier() throws Exception {
        verifiesAndLinks(JInterfaceJars.classPathJar());
    }

    @Test
    void rewritten1131ClassesPassTheVerifier() throws Exception {
        Path jar = JInterfaceJars.DEBIAN_1_13_1;
        Assumptions.assumeTrue(Files.isRegularFile(jar), jar + " is absent (Debian's erlang-jinterface)");
        verifiesAndLinks(jar);
    }
}
