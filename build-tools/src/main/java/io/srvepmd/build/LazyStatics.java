package io.srvepmd.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Build step (never shipped): moves the initialisation of named static fields out of their class's
 * static initialiser into a holder class, initialised on the field's first read (the
 * initialisation-on-demand holder idiom, applied to compiled classes). Behaviour is the same except
 * for when the initialiser runs.
 *
 * <p>Used for the two static fields of dnsjava whose initialisers cost a cold JVM the most and that
 * the agent never reads: {@code Header.random} (a {@code SecureRandom}: the JCA provider framework,
 * ~12 ms) and {@code Record.byteFormat} (a {@code DecimalFormat}: the locale data, ~14 ms).
 *
 * <p>What moves: the statement that assigns the field and the statements right after it that
 * start by reading it ({@code byteFormat.setMinimumIntegerDigits(3)}), as javac's line numbers
 * delimit them. The step refuses, failing the build, anything it cannot move as is: no such
 * statement, a branch or exception handler in it, another static field of the class read or
 * written there, a method of the class called there, or a write to the field elsewhere.
 *
 * <p>Args: {@code jar owner.field...}, owners in internal form
 * ({@code io/srvepmd/shaded/dnsjava/Header.random}).
 */
public final class LazyStatics {

    private LazyStatics() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Map<String, List<String>> fieldsByOwner = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int dot = args[i].lastIndexOf('.');
            fieldsByOwner.computeIfAbsent(args[i].substring(0, dot), k -> new ArrayList<>())
                    .add(args[i].substring(dot + 1));
        }
        Map<String, byte[]> in = JarEntries.read(jar);
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : in.entrySet()) {
            byte[] bytes = e.getValue();
            String owner = e.getKey().endsWith(".class") ? e.getKey().substring(0, e.getKey().length() - 6) : null;
            List<String> fields = owner == null ? null : fieldsByOwner.remove(owner);
            if (fields != null) {
                for (String field : fields) {
                    if (in.containsKey(owner + "$Lazy_" + field + ".class")) {
                        done.add(owner + "." + field + " (already)");
                        continue;
                    }
                    Map<String, byte[]> r = transform(bytes, field);
                    bytes = r.remove(owner);
                    for (Map.Entry<String, byte[]> g : r.entrySet()) {
                        out.put(g.getKey() + ".class", g.getValue());
                    }
                    done.add(owner + "." + field);
                }
            }
            out.put(e.getKey(), bytes);
        }
        if (!fieldsByOwner.isEmpty()) {
            throw new IllegalStateException("lazy-statics: no such class in " + jar + ": " + fieldsByOwner.keySet());
        }
        JarEntries.write(jar, out);
        System.out.println("[lazy-statics] " + jar.getFileName() + ": initialised on first read: " + done);
    }

    /** One instruction of the static initialiser, replayable into another method. */
    private static final class Insn {
        final int index;
        final int opcode; // -2: one that cannot be moved (branch, switch, local variable)
        final String owner;
        final String name;
        final Consumer<MethodVisitor> replay;

        Insn(int index, int opcode, String owner, String name, Consumer<MethodVisitor> replay) {
            this.index = index;
            this.opcode = opcode;
            this.owner = owner;
            this.name = name;
            this.replay = replay;
        }
    }

    /**
     * @return the rewritten class under its internal name, and the holder class under its own
     * @throws IllegalStateException if the field's initialisation cannot be moved as is
     */
    static Map<String, byte[]> transform(byte[] classFile, String field) {
        ClassReader reader = new ClassReader(classFile);
        String owner = reader.getClassName();
        String holder = owner + "$Lazy_" + field;
        String[] desc = new String[1];
        List<List<Insn>> statements = new ArrayList<>();
        List<String> writers = new ArrayList<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String d, String signature, Object value) {
                if (name.equals(field)) {
                    if ((access & Opcodes.ACC_STATIC) == 0 || value != null) {
                        throw new IllegalStateException(owner + "." + field + " is not a static field set by code");
                    }
                    desc[0] = d;
                }
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String d, String signature, String[] exc) {
                boolean clinit = name.equals("<clinit>");
                return new Scanner(owner, field, clinit ? statements : null, writers, name);
            }
        }, 0);
        if (desc[0] == null) {
            throw new IllegalStateException("no static field " + owner + "." + field);
        }
        if (!writers.isEmpty()) {
            throw new IllegalStateException(owner + "." + field + " is written outside its initialiser: " + writers);
        }
        // The statement that assigns the field, then those that start by reading it.
        int first = -1;
        for (int s = 0; s < statements.size() && first < 0; s++) {
            for (Insn i : statements.get(s)) {
                if (i.opcode == Opcodes.PUTSTATIC && i.owner.equals(owner) && i.name.equals(field)) {
                    first = s;
                }
            }
        }
        if (first < 0) {
            throw new IllegalStateException(owner + ".<clinit> does not assign " + field);
        }
        int last = first;
        while (last + 1 < statements.size() && startsByReading(statements.get(last + 1), owner, field)) {
            last++;
        }
        List<Insn> moved = new ArrayList<>();
        for (int s = first; s <= last; s++) {
            for (Insn i : statements.get(s)) {
                if (i.opcode == Opcodes.RETURN) {
                    break; // the initialiser's end, in the last statement when javac gave it no line of its own
                }
                check(i, owner, field);
                moved.add(i);
            }
        }
        int from = moved.get(0).index;
        int to = moved.get(moved.size() - 1).index;

        // The holder: static final VALUE, its initialiser the moved statements.
        ClassWriter hw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        hw.visit(Opcodes.V1_8, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, holder, null, "java/lang/Object", null);
        hw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "VALUE", desc[0], null, null).visitEnd();
        MethodVisitor init = hw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        MethodVisitor redirect = new Redirect(init, owner, field, holder);
        for (Insn i : moved) {
            i.replay.accept(redirect);
        }
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        hw.visitEnd();

        // The class: the moved instructions gone, the field gone, every read through the holder.
        ClassWriter cw = new ClassWriter(0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, cw) {
            @Override
            public FieldVisitor visitField(int access, String name, String d, String signature, Object value) {
                return name.equals(field) ? null : super.visitField(access, name, d, signature, value);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String d, String signature, String[] exc) {
                MethodVisitor mv = new Redirect(super.visitMethod(access, name, d, signature, exc), owner, field,
                        holder);
                return name.equals("<clinit>") ? new Skip(mv, from, to) : mv;
            }
        }, 0);
        Map<String, byte[]> result = new LinkedHashMap<>();
        result.put(owner, cw.toByteArray());
        result.put(holder, hw.toByteArray());
        return result;
    }

    private static boolean startsByReading(List<Insn> statement, String owner, String field) {
        return !statement.isEmpty() && statement.get(0).opcode == Opcodes.GETSTATIC
                && statement.get(0).owner.equals(owner) && statement.get(0).name.equals(field);
    }

    private static void check(Insn i, String owner, String field) {
        String where = owner + ".<clinit> around " + field + ": ";
        if (i.opcode == -2) {
            throw new IllegalStateException(where + "a branch, switch or exception handler cannot be moved");
        }
        if ((i.opcode == Opcodes.GETSTATIC || i.opcode == Opcodes.PUTSTATIC) && i.owner.equals(owner)
                && !i.name.equals(field)) {
            throw new IllegalStateException(where + "it uses another static field, " + i.name);
        }
        if (i.opcode >= Opcodes.INVOKEVIRTUAL && i.opcode <= Opcodes.INVOKEDYNAMIC && owner.equals(i.owner)) {
            throw new IllegalStateException(where + "it calls a method of its class, " + i.name);
        }
    }

    /** Numbers the instructions of every method, splits {@code <clinit>} into statements, finds writes. */
    private static final class Scanner extends MethodVisitor {
        private final String owner;
        private final String field;
        private final List<List<Insn>> statements;
        private final List<String> writers;
        private final String method;
        private List<Insn> current;
        private int index;

        Scanner(String owner, String field, List<List<Insn>> statements, List<String> writers, String method) {
            super(Opcodes.ASM9);
            this.owner = owner;
            this.field = field;
            this.statements = statements;
            this.writers = writers;
            this.method = method;
        }

        private void add(int opcode, String insnOwner, String name, Consumer<MethodVisitor> replay) {
            if (statements == null) {
                return;
            }
            if (current == null) {
                current = new ArrayList<>();
                statements.add(current);
            }
            current.add(new Insn(index++, opcode, insnOwner, name, replay));
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            if (statements != null) {
                current = new ArrayList<>();
                statements.add(current);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            add(opcode, null, null, mv -> mv.visitInsn(opcode));
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            add(opcode, null, null, mv -> mv.visitIntInsn(opcode, operand));
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            add(-2, null, null, mv -> { }); // a local variable in a static initialiser: not moved
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            add(opcode, type, null, mv -> mv.visitTypeInsn(opcode, type));
        }

        @Override
        public void visitFieldInsn(int opcode, String fowner, String name, String d) {
            if (opcode == Opcodes.PUTSTATIC && fowner.equals(owner) && name.equals(field)
                    && statements == null) {
                writers.add(method);
            }
            add(opcode, fowner, name, mv -> mv.visitFieldInsn(opcode, fowner, name, d));
        }

        @Override
        public void visitMethodInsn(int opcode, String mowner, String name, String d, boolean itf) {
            add(opcode, mowner, name, mv -> mv.visitMethodInsn(opcode, mowner, name, d, itf));
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String d, Handle bsm, Object... bsmArgs) {
            add(Opcodes.INVOKEDYNAMIC, bsm.getOwner(), name, mv -> mv.visitInvokeDynamicInsn(name, d, bsm, bsmArgs));
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            branch();
        }

        @Override
        public void visitLdcInsn(Object value) {
            add(Opcodes.LDC, null, null, mv -> mv.visitLdcInsn(value));
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            branch();
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            branch();
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            branch();
        }

        @Override
        public void visitMultiANewArrayInsn(String d, int dims) {
            add(Opcodes.MULTIANEWARRAY, null, null, mv -> mv.visitMultiANewArrayInsn(d, dims));
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            if (statements != null) {
                throw new IllegalStateException(owner + ".<clinit> has an exception handler; not moved");
            }
        }

        private void branch() {
            add(-2, null, null, mv -> { });
        }
    }

    /** Drops the instructions numbered {@code from..to} (as {@link Scanner} numbered them). */
    private static final class Skip extends MethodVisitor {
        private final int from;
        private final int to;
        private int index;

        Skip(MethodVisitor mv, int from, int to) {
            super(Opcodes.ASM9, mv);
            this.from = from;
            this.to = to;
        }

        private boolean keep() {
            int i = index++;
            return i < from || i > to;
        }

        @Override
        public void visitInsn(int opcode) {
            if (keep()) {
                super.visitInsn(opcode);
            }
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            if (keep()) {
                super.visitIntInsn(opcode, operand);
            }
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            if (keep()) {
                super.visitVarInsn(opcode, var);
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (keep()) {
                super.visitTypeInsn(opcode, type);
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String d) {
            if (keep()) {
                super.visitFieldInsn(opcode, owner, name, d);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String d, boolean itf) {
            if (keep()) {
                super.visitMethodInsn(opcode, owner, name, d, itf);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String d, Handle bsm, Object... bsmArgs) {
            if (keep()) {
                super.visitInvokeDynamicInsn(name, d, bsm, bsmArgs);
            }
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (keep()) {
                super.visitJumpInsn(opcode, label);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (keep()) {
                super.visitLdcInsn(value);
            }
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            if (keep()) {
                super.visitIincInsn(var, increment);
            }
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            if (keep()) {
                super.visitTableSwitchInsn(min, max, dflt, labels);
            }
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            if (keep()) {
                super.visitLookupSwitchInsn(dflt, keys, labels);
            }
        }

        @Override
        public void visitMultiANewArrayInsn(String d, int dims) {
            if (keep()) {
                super.visitMultiANewArrayInsn(d, dims);
            }
        }
    }

    /** Reads and writes of the field go to the holder's {@code VALUE}. */
    private static final class Redirect extends MethodVisitor {
        private final String owner;
        private final String field;
        private final String holder;

        Redirect(MethodVisitor mv, String owner, String field, String holder) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.field = field;
            this.holder = holder;
        }

        @Override
        public void visitFieldInsn(int opcode, String fowner, String name, String d) {
            if (fowner.equals(owner) && name.equals(field)) {
                super.visitFieldInsn(opcode, holder, "VALUE", d);
            } else {
                super.visitFieldInsn(opcode, fowner, name, d);
            }
        }
    }
}
