package io.srvepmd.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaClassesTest {

    private static final String[] SAMPLES = {"LambdaSamples", "LambdaSamples$Shape", "LambdaSamples$Square"};
    private static final String PKG = "io/srvepmd/build/";
    /** One class per call site in the samples. */
    private static final int GENERATED = 19;

    private static byte[] classFile(String simpleName) throws IOException {
        try (InputStream in = LambdaClassesTest.class.getResourceAsStream(simpleName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Loads the given classes itself (so the JVM verifies them), everything else from its parent. */
    static final class Isolated extends ClassLoader {
        private final Map<String, byte[]> classes;

        Isolated(Map<String, byte[]> classes) {
            super(LambdaClassesTest.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = classes.get(name.replace('.', '/'));
                    c = b == null ? super.loadClass(name, false) : defineClass(name, b, 0, b.length);
                }
                return c;
            }
        }
    }

    private static String run(Map<String, byte[]> classes) throws Exception {
        Class<?> c = new Isolated(classes).loadClass("io.srvepmd.build.LambdaSamples");
        Method m = c.getMethod("run");
        return (String) m.invoke(null);
    }

    @Test
    void everyShapeBehavesAsBeforeWithoutInvokedynamic() throws Exception {
        Map<String, byte[]> original = new HashMap<>();
        Map<String, byte[]> transformed = new HashMap<>();
        int generated = 0;
        for (String s : SAMPLES) {
            byte[] b = classFile(s);
            original.put(PKG + s, b);
            LambdaClasses.Result r = LambdaClasses.transform(b);
            assertTrue(r.kept.isEmpty(), "left alone: " + r.kept);
            assertFalse(containsInvokedynamic(r.owner), s + " still has an invokedynamic");
            transformed.put(PKG + s, r.owner);
            transformed.putAll(r.generated);
            generated += r.generated.size();
        }
        assertEquals(GENERATED, generated);
        String expected = run(original);
        assertEquals("square,none,p,len3,42,1099511627776,42,4,5,7,42,me#5,me#6,me/in/x,[added],false,[added, ran],"
                + "iface:z,1", expected);
        assertEquals(expected, run(transformed));
    }

    @Test
    void rewritesAJarInPlaceKeepingItsManifestFirst(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("a.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().putValue("Manifest-Version", "1.0");
        mf.getMainAttributes().putValue("Premain-Class", "x.Agent");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            for (String s : SAMPLES) {
                out.putNextEntry(new JarEntry(PKG + s + ".class"));
                out.write(classFile(s));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("other/Untouched.txt"));
            out.write(42);
            out.closeEntry();
        }
        LambdaClasses.main(new String[] {jar.toString(), PKG});
        LambdaClasses.main(new String[] {jar.toString(), PKG}); // idempotent: nothing left to turn
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("x.Agent", j.getManifest().getMainAttributes().getValue("Premain-Class"));
            assertEquals(SAMPLES.length + GENERATED + 2, j.size()); // + manifest, text file
            assertTrue(j.getEntry(PKG + "LambdaSamples$Fn0.class") != null);
            assertTrue(j.getEntry("other/Untouched.txt") != null);
        }
    }

    /** A crude but sufficient check: the constant pool holds no CONSTANT_InvokeDynamic (tag 18). */
    static boolean containsInvokedynamic(byte[] classFile) {
        net.bytebuddy.jar.asm.ClassReader r = new net.bytebuddy.jar.asm.ClassReader(classFile);
        for (int i = 1; i < r.getItemCount(); i++) {
            int offset = r.getItem(i);
            if (offset > 0 && classFile[offset - 1] == 18) {
                return true;
            }
        }
        return false;
    }
}
