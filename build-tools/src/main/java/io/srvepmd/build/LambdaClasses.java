package io.srvepmd.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Build step (never shipped): turns the lambdas and method references of the classes under one
 * package of a jar into ordinary classes, in place. Each {@code invokedynamic} bootstrapped by
 * {@code LambdaMetafactory.metafactory} becomes an {@code invokestatic} of a factory in a generated
 * class {@code Owner$Fn<n>} that implements the functional interface, holds the captured values and
 * calls the implementation method; a private implementation method gets a package-private static
 * bridge in its class. Same behaviour, no {@code java.lang.invoke} at run time: the JVM neither
 * spins a hidden class per call site nor resolves the implementation (a constructor reference's
 * class, say) before the function is first called.
 *
 * <p>Call sites the step does not know how to turn ({@code altMetafactory}: serializable lambdas,
 * marker interfaces, bridges) stay as they are and are listed.
 *
 * <p>Args: {@code jar packagePrefix} (internal form, e.g. {@code io/srvepmd/shaded/dnsjava/}).
 */
public final class LambdaClasses {

    static final String METAFACTORY = "java/lang/invoke/LambdaMetafactory";

    private LambdaClasses() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        String prefix = args[1];
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        int sites = 0;
        for (Map.Entry<String, byte[]> e : JarEntries.read(jar).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(prefix) && name.endsWith(".class")) {
                Result r = transform(e.getValue());
                out.put(name, r.owner);
                for (Map.Entry<String, byte[]> g : r.generated.entrySet()) {
                    out.put(g.getKey() + ".class", g.getValue());
                }
                sites += r.generated.size();
                kept.addAll(r.kept);
            } else {
                out.put(name, e.getValue());
            }
        }
        JarEntries.write(jar, out);
        System.out.println("[lambda-classes] " + jar.getFileName() + ": " + sites + " lambda/method-reference call sites"
                + " under " + prefix + " turned into classes" + (kept.isEmpty() ? "" : "; left as invokedynamic: " + kept));
    }

    /** The rewritten class, the classes generated for it (by internal name), the call sites left alone. */
    static final class Result {
        byte[] owner;
        final Map<String, byte[]> generated = new LinkedHashMap<>();
        final List<String> kept = new ArrayList<>();
    }

    /** Rewrites one class file. */
    static Result transform(byte[] classFile) {
        Result result = new Result();
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(0);
        Owner owner = new Owner(writer, result);
        // First the methods' access flags: a lambda body may come after the method that creates it.
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                owner.record(name, desc, access);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        reader.accept(owner, 0);
        result.owner = writer.toByteArray();
        return result;
    }

    private static final class Owner extends ClassVisitor {
        private final Result result;
        private final List<Handle> bridged = new ArrayList<>();
        private String name;
        private boolean isInterface;

        Owner(ClassVisitor cv, Result result) {
            super(Opcodes.ASM9, cv);
            this.result = result;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            this.name = name;
            this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String mname, String descriptor, String signature,
                String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, mname, descriptor, signature, exceptions);
            return new MethodVisitor(Opcodes.ASM9, mv) {
                @Override
                public void visitInvokeDynamicInsn(String iname, String idesc, Handle bsm, Object... bsmArgs) {
                    if (!bsm.getOwner().equals(METAFACTORY) || !bsm.getName().equals("metafactory")
                            || bsmArgs.length != 3) {
                        result.kept.add(name + "." + mname + " (" + bsm.getName() + ")");
                        super.visitInvokeDynamicInsn(iname, idesc, bsm, bsmArgs);
                        return;
                    }
                    String fn = name + "$Fn" + result.generated.size();
                    Handle impl = (Handle) bsmArgs[1];
                    Handle callable = impl;
                    if (impl.getOwner().equals(name) && isPrivate(impl)) {
                        callable = bridge(impl);
                    }
                    result.generated.put(fn, function(fn, iname, idesc, (Type) bsmArgs[0], callable,
                            (Type) bsmArgs[2]));
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, fn, "create", idesc, false);
                }
            };
        }

        private final Map<String, Boolean> privateMethods = new LinkedHashMap<>();

        @Override
        public void visitEnd() {
            for (int i = 0; i < bridged.size(); i++) {
                emitBridge(bridged.get(i), i);
            }
            super.visitEnd();
        }

        private boolean isPrivate(Handle impl) {
            Boolean p = privateMethods.get(impl.getName() + impl.getDesc());
            if (p == null) {
                throw new IllegalStateException("no access flags recorded for " + name + "." + impl.getName());
            }
            return p;
        }

        /** A static package-private bridge to a private implementation method of this class. */
        private Handle bridge(Handle impl) {
            int index = bridged.indexOf(impl);
            if (index < 0) {
                bridged.add(impl);
                index = bridged.size() - 1;
            }
            boolean instance = impl.getTag() != Opcodes.H_INVOKESTATIC;
            String desc = instance ? "(L" + name + ";" + impl.getDesc().substring(1) : impl.getDesc();
            return new Handle(Opcodes.H_INVOKESTATIC, name, "fn$bridge$" + index, desc, isInterface);
        }

        private void emitBridge(Handle impl, int index) {
            boolean instance = impl.getTag() != Opcodes.H_INVOKESTATIC;
            String desc = instance ? "(L" + name + ";" + impl.getDesc().substring(1) : impl.getDesc();
            // An interface's methods are public or private: its bridge is public (and synthetic).
            int access = Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC | (isInterface ? Opcodes.ACC_PUBLIC : 0);
            MethodVisitor mv = cv.visitMethod(access, "fn$bridge$" + index, desc, null, null);
            mv.visitCode();
            int slot = 0;
            for (Type t : Type.getArgumentTypes(desc)) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            mv.visitMethodInsn(instance ? Opcodes.INVOKESPECIAL : Opcodes.INVOKESTATIC, name, impl.getName(),
                    impl.getDesc(), isInterface);
            Type ret = Type.getReturnType(desc);
            mv.visitInsn(ret.getOpcode(Opcodes.IRETURN));
            mv.visitMaxs(Math.max(slot, ret.getSize()), slot);
            mv.visitEnd();
        }

        void record(String mname, String desc, int access) {
            privateMethods.put(mname + desc, (access & Opcodes.ACC_PRIVATE) != 0);
        }
    }

    /**
     * The generated class: {@code final class Fn implements I { fields for the captured values;
     * static I create(captured) { return new Fn(captured); } R sam(params) { return impl(...); } }}.
     */
    static byte[] function(String fn, String samName, String factoryDesc, Type samType, Handle impl,
            Type instantiated) {
        Type iface = Type.getReturnType(factoryDesc);
        Type[] captured = Type.getArgumentTypes(factoryDesc);
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, fn, null,
                "java/lang/Object", new String[] {iface.getInternalName()});
        StringBuilder ctorDesc = new StringBuilder("(");
        for (int i = 0; i < captured.length; i++) {
            cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "c" + i, captured[i].getDescriptor(), null, null)
                    .visitEnd();
            ctorDesc.append(captured[i].getDescriptor());
        }
        ctorDesc.append(")V");
        // constructor
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PRIVATE, "<init>", ctorDesc.toString(), null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        int slot = 1;
        for (int i = 0; i < captured.length; i++) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitVarInsn(captured[i].getOpcode(Opcodes.ILOAD), slot);
            mv.visitFieldInsn(Opcodes.PUTFIELD, fn, "c" + i, captured[i].getDescriptor());
            slot += captured[i].getSize();
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        // factory
        mv = cw.visitMethod(Opcodes.ACC_STATIC, "create", factoryDesc, null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, fn);
        mv.visitInsn(Opcodes.DUP);
        slot = 0;
        for (Type t : captured) {
            mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
            slot += t.getSize();
        }
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, fn, "<init>", ctorDesc.toString(), false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        // the functional method
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, samName, samType.getDescriptor(), null, null);
        mv.visitCode();
        int tag = impl.getTag();
        Type[] implArgs = Type.getArgumentTypes(impl.getDesc());
        List<Type> targets = new ArrayList<>();
        if (tag == Opcodes.H_NEWINVOKESPECIAL) {
            mv.visitTypeInsn(Opcodes.NEW, impl.getOwner());
            mv.visitInsn(Opcodes.DUP);
        } else if (tag != Opcodes.H_INVOKESTATIC) {
            targets.add(Type.getObjectType(impl.getOwner())); // receiver
        }
        for (Type t : implArgs) {
            targets.add(t);
        }
        // captured values first, then the functional method's parameters
        int k = 0;
        for (int i = 0; i < captured.length; i++, k++) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitFieldInsn(Opcodes.GETFIELD, fn, "c" + i, captured[i].getDescriptor());
            convert(mv, captured[i], targets.get(k));
        }
        Type[] samArgs = samType.getArgumentTypes();
        Type[] instArgs = instantiated.getArgumentTypes();
        slot = 1;
        for (int i = 0; i < samArgs.length; i++, k++) {
            mv.visitVarInsn(samArgs[i].getOpcode(Opcodes.ILOAD), slot);
            slot += samArgs[i].getSize();
            convert(mv, samArgs[i], instArgs[i]);
            convert(mv, instArgs[i], targets.get(k));
        }
        if (k != targets.size()) {
            throw new IllegalStateException(fn + ": " + k + " values for " + targets.size() + " parameters of " + impl);
        }
        Type implRet;
        switch (tag) {
            case Opcodes.H_INVOKESTATIC:
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, impl.getOwner(), impl.getName(), impl.getDesc(),
                        impl.isInterface());
                implRet = Type.getReturnType(impl.getDesc());
                break;
            case Opcodes.H_INVOKEVIRTUAL:
                mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, impl.getOwner(), impl.getName(), impl.getDesc(), false);
                implRet = Type.getReturnType(impl.getDesc());
                break;
            case Opcodes.H_INVOKEINTERFACE:
                mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, impl.getOwner(), impl.getName(), impl.getDesc(), true);
                implRet = Type.getReturnType(impl.getDesc());
                break;
            case Opcodes.H_NEWINVOKESPECIAL:
                mv.visitMethodInsn(Opcodes.INVOKESPECIAL, impl.getOwner(), "<init>", impl.getDesc(), false);
                implRet = Type.getObjectType(impl.getOwner());
                break;
            default: // H_INVOKESPECIAL of a non-private method (super::m): not produced by javac for our code
                throw new IllegalStateException(fn + ": unsupported method handle kind " + tag + " " + impl);
        }
        Type samRet = samType.getReturnType();
        if (samRet.getSort() == Type.VOID) {
            if (implRet.getSort() != Type.VOID) {
                mv.visitInsn(implRet.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
            }
            mv.visitInsn(Opcodes.RETURN);
        } else {
            convert(mv, implRet, instantiated.getReturnType());
            convert(mv, instantiated.getReturnType(), samRet);
            mv.visitInsn(samRet.getOpcode(Opcodes.IRETURN));
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** The conversions LambdaMetafactory applies: casts, boxing, unboxing, primitive widening. */
    static void convert(MethodVisitor mv, Type from, Type to) {
        if (from.equals(to)) {
            return;
        }
        boolean fromPrim = from.getSort() < Type.ARRAY;
        boolean toPrim = to.getSort() < Type.ARRAY;
        if (!fromPrim && !toPrim) {
            if (!to.getDescriptor().equals("Ljava/lang/Object;")) {
                mv.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
            }
        } else if (fromPrim && !toPrim) {
            Type box = boxOf(from);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, box.getInternalName(), "valueOf",
                    "(" + from.getDescriptor() + ")" + box.getDescriptor(), false);
            convert(mv, box, to);
        } else if (!fromPrim) {
            Type unboxed = boxed(from);
            if (unboxed == null) { // Object, Number, ...: the box of the target type
                unboxed = to;
                mv.visitTypeInsn(Opcodes.CHECKCAST, boxOf(to).getInternalName());
            }
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, boxOf(unboxed).getInternalName(),
                    unboxed.getClassName() + "Value", "()" + unboxed.getDescriptor(), false);
            convert(mv, unboxed, to);
        } else {
            widen(mv, from, to);
        }
    }

    /** @return the primitive type a box holds, or null if {@code box} is not a box type */
    private static Type boxed(Type box) {
        for (Type p : new Type[] {Type.BOOLEAN_TYPE, Type.CHAR_TYPE, Type.BYTE_TYPE, Type.SHORT_TYPE, Type.INT_TYPE,
                Type.LONG_TYPE, Type.FLOAT_TYPE, Type.DOUBLE_TYPE}) {
            if (boxOf(p).equals(box)) {
                return p;
            }
        }
        return null;
    }

    static Type boxOf(Type prim) {
        switch (prim.getSort()) {
            case Type.BOOLEAN: return Type.getObjectType("java/lang/Boolean");
            case Type.CHAR: return Type.getObjectType("java/lang/Character");
            case Type.BYTE: return Type.getObjectType("java/lang/Byte");
            case Type.SHORT: return Type.getObjectType("java/lang/Short");
            case Type.INT: return Type.getObjectType("java/lang/Integer");
            case Type.LONG: return Type.getObjectType("java/lang/Long");
            case Type.FLOAT: return Type.getObjectType("java/lang/Float");
            case Type.DOUBLE: return Type.getObjectType("java/lang/Double");
            default: throw new IllegalArgumentException("not a primitive: " + prim);
        }
    }

    private static void widen(MethodVisitor mv, Type from, Type to) {
        int f = from.getSort();
        int t = to.getSort();
        boolean fromInt = f == Type.INT || f == Type.SHORT || f == Type.BYTE || f == Type.CHAR;
        if (fromInt && (t == Type.INT || t == Type.SHORT && f == Type.BYTE)) {
            return;
        }
        if (fromInt && t == Type.LONG) {
            mv.visitInsn(Opcodes.I2L);
        } else if (fromInt && t == Type.FLOAT) {
            mv.visitInsn(Opcodes.I2F);
        } else if (fromInt && t == Type.DOUBLE) {
            mv.visitInsn(Opcodes.I2D);
        } else if (f == Type.LONG && t == Type.FLOAT) {
            mv.visitInsn(Opcodes.L2F);
        } else if (f == Type.LONG && t == Type.DOUBLE) {
            mv.visitInsn(Opcodes.L2D);
        } else if (f == Type.FLOAT && t == Type.DOUBLE) {
            mv.visitInsn(Opcodes.F2D);
        } else {
            throw new IllegalStateException("no widening conversion from " + from + " to " + to);
        }
    }
}
