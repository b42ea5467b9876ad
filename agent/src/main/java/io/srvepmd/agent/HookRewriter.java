package io.srvepmd.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites JInterface for the agent, in two ways:
 * <ul>
 * <li>the bodies of the hooked {@code OtpEpmd} and {@code AbstractNode}
 *     methods become a single call to the matching static method of
 *     {@code io.srvepmd.agent.Hooks}, passing every argument (and
 *     {@code this}) along and returning its result;</li>
 * <li>in the constructor {@code AbstractConnection(OtpLocalNode, OtpPeer)},
 *     which opens a connection, two calls are redirected to {@code Hooks}: its
 *     {@code OtpEpmd.lookupPort} (so that a connection learns why a node cannot
 *     be found, while direct callers keep {@code lookupPort}'s "0 means not
 *     registered"), and its {@code doPortConnect(int)} ({@code doConnect(int)}
 *     in 1.6.1), the connect and distribution handshake (so that a failed
 *     handshake counts as a failed attempt and the next candidate is tried).</li>
 * </ul>
 *
 * <p>Only method bodies change: no member is added or removed, so the same
 * rewrite works at class load and on retransformation (dynamic attach). A
 * redirected call has the stack effect of the call it replaces, so the stack
 * map frames stay valid. Every other method is copied untouched. ASM
 * (ByteBuddy's bundled copy) is used directly because a ByteBuddy
 * {@code AgentBuilder} costs the host ~400 ms of start-up, this ~25 ms
 * (measured on a first contact: JVM start, new OtpNode, one ping).
 */
final class HookRewriter {

    static final String HOOKS = "io/srvepmd/agent/Hooks";
    private static final String OBJ = "Ljava/lang/Object;";
    private static final String PKG = "com/ericsson/otp/erlang/";
    static final String CONNECTION = PKG + "AbstractConnection";
    /** The constructor of {@code AbstractConnection} that connects to a peer. */
    static final String CONNECTING_CONSTRUCTOR = "<init>(L" + PKG + "OtpLocalNode;L" + PKG + "OtpPeer;)V";

    /** Class → (method name + descriptor → Hooks method name + descriptor): bodies replaced. */
    static final Map<String, Map<String, String[]>> HOOKED = Map.of(
            PKG + "OtpEpmd", Map.of(
                    "publishPort(L" + PKG + "OtpLocalNode;)Z", new String[] {"publishPort", "(" + OBJ + ")Z"},
                    "unPublishPort(L" + PKG + "OtpLocalNode;)V", new String[] {"unPublishPort", "(" + OBJ + ")V"},
                    "lookupPort(L" + PKG + "AbstractNode;)I", new String[] {"lookupPort", "(" + OBJ + ")I"},
                    "lookupNames()[Ljava/lang/String;", names(),
                    "lookupNames(L" + PKG + "OtpTransportFactory;)[Ljava/lang/String;", names(),
                    "lookupNames(Ljava/net/InetAddress;)[Ljava/lang/String;", names(),
                    "lookupNames(Ljava/net/InetAddress;L" + PKG + "OtpTransportFactory;)[Ljava/lang/String;",
                    names()),
            PKG + "AbstractNode", Map.of(
                    "createTransport(Ljava/lang/String;I)L" + PKG + "OtpTransport;",
                    new String[] {"createTransport", "(" + OBJ + "Ljava/lang/String;I)" + OBJ},
                    "createServerTransport(I)L" + PKG + "OtpServerTransport;",
                    new String[] {"createServerTransport", "(" + OBJ + "I)" + OBJ}),
            CONNECTION, Map.of());

    /** What the connecting constructor calls (owner.name+descriptor) → the Hooks method that replaces it. */
    static final Map<String, String[]> REDIRECTED = Map.of(
            PKG + "OtpEpmd.lookupPort(L" + PKG + "AbstractNode;)I",
            new String[] {"lookupPortToConnect", "(" + OBJ + ")I"},
            CONNECTION + ".doPortConnect(I)V", new String[] {"connectPort", "(" + OBJ + "I)V"},
            CONNECTION + ".doConnect(I)V", new String[] {"connectPort", "(" + OBJ + "I)V"});

    /** The redirections every supported JInterface has, as {@link #rewrite} records them. */
    static final String LOOKUP_CALL = "new AbstractConnection(OtpLocalNode, OtpPeer) calling OtpEpmd.lookupPort";
    static final String CONNECT_CALL = "new AbstractConnection(OtpLocalNode, OtpPeer) calling"
            + " doPortConnect(int) or doConnect(int)";

    private HookRewriter() {
    }

    /**
     * @param hooked what {@link #rewrite} rewrote in {@code internalName}
     * @return the hooked methods and calls the class lacks, readable; empty when fully hooked
     */
    static List<String> missing(String internalName, Set<String> hooked) {
        List<String> missing = new ArrayList<>();
        for (String method : HOOKED.get(internalName).keySet()) {
            if (!hooked.contains(method)) {
                missing.add(readable(method));
            }
        }
        if (internalName.equals(CONNECTION)) {
            for (String call : new String[] {LOOKUP_CALL, CONNECT_CALL}) {
                if (!hooked.contains(call)) {
                    missing.add(call);
                }
            }
        }
        missing.sort(null);
        return missing;
    }

    /** @return for example {@code lookupPort(AbstractNode)} for {@code lookupPort(Lcom/ericsson/.../AbstractNode;)I} */
    private static String readable(String method) {
        StringBuilder b = new StringBuilder(method.substring(0, method.indexOf('('))).append('(');
        Type[] args = Type.getArgumentTypes(method.substring(method.indexOf('(')));
        for (int i = 0; i < args.length; i++) {
            String name = args[i].getClassName();
            b.append(i == 0 ? "" : ", ").append(name.substring(name.lastIndexOf('.') + 1));
        }
        return b.append(')').toString();
    }

    private static String[] names() {
        return new String[] {"lookupNames", "()[Ljava/lang/String;"};
    }

    /**
     * @param hooked receives the name and descriptor of every method rewritten,
     *        and {@link #LOOKUP_CALL} / {@link #CONNECT_CALL} for each call redirected
     * @return the rewritten class, or null if {@code internalName} is not hooked
     */
    static byte[] rewrite(String internalName, byte[] classFile, Set<String> hooked) {
        Map<String, String[]> methods = HOOKED.get(internalName);
        if (methods == null) {
            return null;
        }
        boolean connection = internalName.equals(CONNECTION);
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (connection && CONNECTING_CONSTRUCTOR.equals(name + descriptor)) {
                    return new Redirector(mv, hooked);
                }
                String[] hook = methods.get(name + descriptor);
                if (hook == null) {
                    return mv;
                }
                writeCall(mv, access, descriptor, hook[0], hook[1]);
                hooked.add(name + descriptor);
                return null; // drop the original body
            }
        }, 0);
        return writer.toByteArray();
    }

    /**
     * Emits: load the arguments the hook takes (this first, for instance
     * methods; the hook's own parameters decide how many), call it, cast, return.
     */
    private static void writeCall(MethodVisitor mv, int access, String descriptor, String hookName,
                                  String hookDescriptor) {
        mv.visitCode();
        Type[] hookArgs = Type.getArgumentTypes(hookDescriptor);
        int slot = 0;
        for (Type arg : hookArgs) {
            mv.visitVarInsn(arg.getOpcode(Opcodes.ILOAD), slot);
            slot += arg.getSize();
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hookName, hookDescriptor, false);
        Type returned = Type.getReturnType(descriptor);
        if (returned.getSort() == Type.OBJECT && !Type.getReturnType(hookDescriptor).equals(returned)) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, returned.getInternalName());
        }
        mv.visitInsn(returned.getOpcode(Opcodes.IRETURN));
        int locals = Type.getArgumentsAndReturnSizes(descriptor) >> 2;
        if ((access & Opcodes.ACC_STATIC) != 0) {
            locals--; // the size counts an implicit 'this'
        }
        mv.visitMaxs(Math.max(slot, 1), locals);
        mv.visitEnd();
    }

    /** Copies the connecting constructor, turning the calls of {@link #REDIRECTED} into calls of Hooks. */
    private static final class Redirector extends MethodVisitor {
        private final Set<String> hooked;

        Redirector(MethodVisitor mv, Set<String> hooked) {
            super(Opcodes.ASM9, mv);
            this.hooked = hooked;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean itf) {
            String[] hook = REDIRECTED.get(owner + "." + name + descriptor);
            if (hook == null || opcode == Opcodes.INVOKESPECIAL) {
                super.visitMethodInsn(opcode, owner, name, descriptor, itf);
                return;
            }
            // Same stack effect: (peer) -> int, or (this, port) -> void.
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook[0], hook[1], false);
            hooked.add(hook[0].equals("lookupPortToConnect") ? LOOKUP_CALL : CONNECT_CALL);
        }
    }
}
