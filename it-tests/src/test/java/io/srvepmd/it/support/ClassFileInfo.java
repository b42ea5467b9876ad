package io.srvepmd.it.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a class file says about its own accessibility, read from its bytes
 * (JVMS 4.1, 4.7.6) without loading it: the class's name and access flags, and
 * the entries of its InnerClasses attribute.
 */
public final class ClassFileInfo {

    public static final int ACC_PUBLIC = 0x0001;
    public static final int ACC_PROTECTED = 0x0004;
    public static final int ACC_SYNTHETIC = 0x1000;
    public static final int ACC_MODULE = 0x8000;

    /** Binary name with dots, such as {@code io.srvepmd.spi.EpmdResolverProvider$Configuration}. */
    public final String name;
    /** The class's access_flags (for a nested class: as compiled, always public or package). */
    public final int access;
    /** The InnerClasses attribute's entries. */
    public final List<InnerClass> innerClasses;

    /** One InnerClasses entry: a nested class, its outer class (null if local or anonymous), its flags. */
    public static final class InnerClass {
        public final String inner;
        public final String outer;
        public final int access;

        InnerClass(String inner, String outer, int access) {
            this.inner = inner;
            this.outer = outer;
            this.access = access;
        }
    }

    private ClassFileInfo(String name, int access, List<InnerClass> innerClasses) {
        this.name = name;
        this.access = access;
        this.innerClasses = innerClasses;
    }

    /** The entry of this class's InnerClasses attribute that describes the class itself, or null if top-level. */
    public InnerClass asNested() {
        for (InnerClass c : innerClasses) {
            if (c.inner.equals(name)) {
                return c;
            }
        }
        return null;
    }

    public static ClassFileInfo read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: // Utf8
                    pool[i] = in.readUTF();
                    break;
                case 7: // Class: index of its name
                    pool[i] = new int[] {in.readUnsignedShort()};
                    break;
                case 8: case 16: case 19: case 20: // String, MethodType, Module, Package
                    in.readUnsignedShort();
                    break;
                case 15: // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                    break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                    in.readInt();
                    break;
                case 5: case 6: // Long, Double: two slots
                    in.readLong();
                    i++;
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        int access = in.readUnsignedShort();
        String name = className(pool, in.readUnsignedShort());
        in.readUnsignedShort(); // super
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces
        for (int members = 0; members < 2; members++) { // fields, then methods
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                in.skipBytes(6); // access, name, descriptor
                skipAttributes(in);
            }
        }
        List<InnerClass> inner = new ArrayList<>();
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            String attribute = (String) pool[in.readUnsignedShort()];
            int length = in.readInt();
            if (!attribute.equals("InnerClasses")) {
                in.skipBytes(length);
                continue;
            }
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                String innerName = className(pool, in.readUnsignedShort());
                int outerIndex = in.readUnsignedShort();
                in.readUnsignedShort(); // simple name
                int flags = in.readUnsignedShort();
                inner.add(new InnerClass(innerName, outerIndex == 0 ? null : className(pool, outerIndex), flags));
            }
        }
        return new ClassFileInfo(name, access, inner);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.readUnsignedShort();
            in.skipBytes(in.readInt());
        }
    }

    private static String className(Object[] pool, int index) {
        return ((String) pool[((int[]) pool[index])[0]]).replace('/', '.');
    }
}
