package io.srvepmd.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Build step (never shipped): replaces the body of a static method of a relocated library with a
 * call to a static method of the agent that takes the same parameters and returns the same type.
 *
 * <p>Used for SLF4J's {@code LoggerFactory.getProvider()}: the agent's relocated SLF4J serves only
 * the bundled dnsjava, whose logs the agent drops, so its provider is always the agent's silent
 * one. Found by SLF4J's own discovery, it cost every first contact 9-14 ms of CPU (JDK 17-25): a
 * {@code ServiceLoader} scan of the class path, a scan for SLF4J 1.7 bindings, a reflective
 * instantiation; redirected, it is one call.
 *
 * <p>Args: {@code jar owner.name(descriptor)=target.name...}, classes in internal form. The build
 * fails when the method or the target class is missing, or the method is not static.
 */
public final class RedirectBodies {

    private RedirectBodies() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Map<String, byte[]> entries = JarEntries.read(jar);
        StringBuilder done = new StringBuilder();
        for (int i = 1; i < args.length; i++) {
            String[] redirect = args[i].split("=");
            String method = redirect[0];
            String owner = method.substring(0, method.lastIndexOf('.', method.indexOf('(')));
            String target = redirect[1];
            String targetClass = target.substring(0, target.lastIndexOf('.'));
            if (!entries.containsKey(targetClass + ".class")) {
                throw new IllegalStateException("redirect-bodies: no class " + targetClass + " in " + jar);
            }
            byte[] bytes = entries.get(owner + ".class");
            if (bytes == null) {
                throw new IllegalStateException("redirect-bodies: no class " + owner + " in " + jar);
            }
            entries.put(owner + ".class", redirect(bytes, method.substring(owner.length() + 1), targetClass,
                    target.substring(targetClass.length() + 1)));
            done.append(done.length() == 0 ? "" : ", ").append(method).append(" -> ").append(target);
        }
        JarEntries.write(jar, new LinkedHashMap<>(entries));
        System.out.println("[redirect-bodies] " + jar.getFileName() + ": " + done);
    }

    /**
     * @param method name and descriptor, e.g. {@code getProvider()Lx/Provider;}
     * @return the class with that static method's body replaced by {@code return targetClass.targetName(args)}
     */
    static byte[] redirect(byte[] classFile, String method, String targetClass, String targetName) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] found = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!method.equals(name + descriptor)) {
                    return mv;
                }
                if ((access & Opcodes.ACC_STATIC) == 0) {
                    throw new IllegalStateException("redirect-bodies: " + reader.getClassName() + "." + method
                            + " is not static");
                }
                found[0] = true;
                mv.visitCode();
                int slot = 0;
                for (Type arg : Type.getArgumentTypes(descriptor)) {
                    mv.visitVarInsn(arg.getOpcode(Opcodes.ILOAD), slot);
                    slot += arg.getSize();
                }
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, targetClass, targetName, descriptor, false);
                mv.visitInsn(Type.getReturnType(descriptor).getOpcode(Opcodes.IRETURN));
                mv.visitMaxs(Math.max(slot, Type.getReturnType(descriptor).getSize()), slot);
                mv.visitEnd();
                return null; // drop the original body
            }
        }, 0);
        if (!found[0]) {
            throw new IllegalStateException("redirect-bodies: no method " + reader.getClassName() + "." + method);
        }
        return writer.toByteArray();
    }
}
