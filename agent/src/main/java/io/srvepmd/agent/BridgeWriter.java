package io.srvepmd.agent;

import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Writes the {@link JInterfaceBridge} subclass for one JInterface copy: straight-line methods that
 * cast their arguments to JInterface's types and call or read the member, nothing else (no branch,
 * so no stack map frames). Where JInterface versions differ, the choice is made here, once:
 * {@code setCreation(int)} (1.13+) or the {@code creation} field (1.6.1); {@code doPortConnect(int)}
 * (1.13+) or {@code doConnect(int)} (1.6.1).
 */
final class BridgeWriter {

    private static final String PKG = "com/ericsson/otp/erlang/";
    private static final String BRIDGE = "io/srvepmd/agent/JInterfaceBridge";
    private static final String NODE = PKG + "AbstractNode";
    private static final String LOCAL = PKG + "OtpLocalNode";
    private static final String CONNECTION = PKG + "AbstractConnection";
    private static final String FACTORY = PKG + "OtpTransportFactory";
    private static final String TRANSPORT = PKG + "OtpTransport";
    private static final String SOCKET_TRANSPORT = PKG + "OtpSocketTransport";
    private static final String OBJ = "Ljava/lang/Object;";
    private static final String STRING = "Ljava/lang/String;";

    private BridgeWriter() {
    }

    /**
     * @param abstractNode the copy's {@code AbstractNode}
     * @param n 0 for the usual class name, more for a successor when that name is taken
     * @return the class file, in {@code abstractNode}'s package
     */
    static byte[] write(Class<?> abstractNode, int n) throws ClassNotFoundException {
        Class<?> connection = Class.forName(CONNECTION.replace('/', '.'), false, abstractNode.getClassLoader());
        boolean bigCreation = declares(abstractNode, "setCreation");
        String connect = declares(connection, "doPortConnect") ? "doPortConnect" : "doConnect";
        String name = n == 0 ? PKG + "SrvEpmdBridge" : PKG + "SrvEpmdBridge" + n;

        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
                name, null, BRIDGE, null);
        construction(cw, name);
        nodeString(cw, "node");
        nodeString(cw, "host");
        nodeString(cw, "alive");

        MethodVisitor mv = begin(cw, "port", "(" + OBJ + ")I");
        cast(mv, 1, LOCAL);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, LOCAL, "port", "()I", false);
        end(mv, Opcodes.IRETURN, 1, 2);

        mv = begin(cw, "bigCreation", "()Z");
        mv.visitInsn(bigCreation ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        end(mv, Opcodes.IRETURN, 1, 1);

        mv = begin(cw, "setCreation", "(" + OBJ + "I)V");
        cast(mv, 1, NODE);
        mv.visitVarInsn(Opcodes.ILOAD, 2);
        if (bigCreation) {
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, NODE, "setCreation", "(I)V", false);
        } else {
            mv.visitFieldInsn(Opcodes.PUTFIELD, NODE, "creation", "I");
        }
        end(mv, Opcodes.RETURN, 2, 3);

        mv = begin(cw, "setPeerVersions", "(" + OBJ + "IIII)V");
        String[] fields = {"ntype", "proto", "distHigh", "distLow"};
        for (int i = 0; i < fields.length; i++) {
            cast(mv, 1, NODE);
            mv.visitVarInsn(Opcodes.ILOAD, 2 + i);
            mv.visitFieldInsn(Opcodes.PUTFIELD, NODE, fields[i], "I");
        }
        end(mv, Opcodes.RETURN, 2, 6);

        mv = begin(cw, "transportFactory", "(" + OBJ + ")" + OBJ);
        cast(mv, 1, NODE);
        mv.visitFieldInsn(Opcodes.GETFIELD, NODE, "transportFactory", "L" + FACTORY + ";");
        end(mv, Opcodes.ARETURN, 1, 2);

        factoryCall(cw, "createTransport", STRING, "L" + TRANSPORT + ";");
        factoryCall(cw, "createTransport", "Ljava/net/InetAddress;", "L" + TRANSPORT + ";");
        mv = begin(cw, "createServerTransport", "(" + OBJ + "I)" + OBJ);
        cast(mv, 1, FACTORY);
        mv.visitVarInsn(Opcodes.ILOAD, 2);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, FACTORY, "createServerTransport",
                "(I)L" + PKG + "OtpServerTransport;", true);
        end(mv, Opcodes.ARETURN, 2, 3);

        mv = begin(cw, "close", "(" + OBJ + ")V");
        cast(mv, 1, TRANSPORT);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, TRANSPORT, "close", "()V", true);
        end(mv, Opcodes.RETURN, 1, 2);

        mv = begin(cw, "socketTransport", "(Ljava/net/Socket;)" + OBJ);
        mv.visitTypeInsn(Opcodes.NEW, SOCKET_TRANSPORT);
        mv.visitInsn(Opcodes.DUP);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, SOCKET_TRANSPORT, "<init>", "(Ljava/net/Socket;)V", false);
        end(mv, Opcodes.ARETURN, 3, 2);

        mv = begin(cw, "setEpmd", "(" + OBJ + OBJ + ")V");
        cast(mv, 1, LOCAL);
        cast(mv, 2, TRANSPORT);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, LOCAL, "setEpmd", "(L" + TRANSPORT + ";)V", false);
        end(mv, Opcodes.RETURN, 2, 3);

        mv = begin(cw, "portConnect", "(" + OBJ + "I)V");
        cast(mv, 1, CONNECTION);
        mv.visitVarInsn(Opcodes.ILOAD, 2);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CONNECTION, connect, "(I)V", false);
        end(mv, Opcodes.RETURN, 2, 3);

        cw.visitEnd();
        return cw.toByteArray();
    }

    private static boolean declares(Class<?> type, String method) {
        try {
            type.getDeclaredMethod(method, int.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The constructor, and a static initialiser that hands an instance over to {@link JInterfaceBridge}. */
    private static void construction(ClassWriter cw, String name) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, BRIDGE, "<init>", "()V", false);
        end(mv, Opcodes.RETURN, 1, 1);
        mv = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, name);
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, name, "<init>", "()V", false);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "handOver", "(L" + BRIDGE + ";)V", false);
        end(mv, Opcodes.RETURN, 2, 0);
    }

    /** {@code String name(Object node)}: {@code ((AbstractNode) node).name()}. */
    private static void nodeString(ClassWriter cw, String name) {
        MethodVisitor mv = begin(cw, name, "(" + OBJ + ")" + STRING);
        cast(mv, 1, NODE);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, NODE, name, "()" + STRING, false);
        end(mv, Opcodes.ARETURN, 1, 2);
    }

    /** {@code Object name(Object factory, HOST host, int port)}: the factory's method of that name. */
    private static void factoryCall(ClassWriter cw, String name, String host, String returned) {
        MethodVisitor mv = begin(cw, name, "(" + OBJ + host + "I)" + OBJ);
        cast(mv, 1, FACTORY);
        mv.visitVarInsn(Opcodes.ALOAD, 2);
        mv.visitVarInsn(Opcodes.ILOAD, 3);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, FACTORY, name, "(" + host + "I)" + returned, true);
        end(mv, Opcodes.ARETURN, 3, 4);
    }

    private static MethodVisitor begin(ClassWriter cw, String name, String descriptor) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, name, descriptor, null, null);
        mv.visitCode();
        return mv;
    }

    private static void cast(MethodVisitor mv, int slot, String type) {
        mv.visitVarInsn(Opcodes.ALOAD, slot);
        mv.visitTypeInsn(Opcodes.CHECKCAST, type);
    }

    private static void end(MethodVisitor mv, int returnOpcode, int maxStack, int maxLocals) {
        mv.visitInsn(returnOpcode);
        mv.visitMaxs(maxStack, maxLocals);
        mv.visitEnd();
    }
}
