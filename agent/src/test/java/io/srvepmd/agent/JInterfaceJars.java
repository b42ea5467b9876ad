package io.srvepmd.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.ProtectionDomain;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The JInterface copies the tests rewrite: Maven Central's 1.6.1 (a test
 * dependency, on the class path) and Debian's 1.13.1 (a file that may be absent).
 */
public final class JInterfaceJars {

    public static final Path DEBIAN_1_13_1 = Paths.get("/usr/lib/erlang/lib/jinterface-1.13.1/priv/OtpErlang.jar");

    private JInterfaceJars() {
    }

    /** @return the class file of {@code internalName} from 1.6.1 on the test class path */
    public static byte[] fromClassPath(String internalName) {
        try (InputStream in = JInterfaceJars.class.getResourceAsStream("/" + internalName + ".class")) {
            if (in == null) {
                throw new IllegalStateException(internalName + " is not on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the class file of {@code internalName} from a jar */
    public static byte[] fromJar(Path jar, String internalName) {
        try (JarFile f = new JarFile(jar.toFile())) {
            ZipEntry e = f.getEntry(internalName + ".class");
            if (e == null) {
                throw new IllegalStateException(internalName + " is not in " + jar);
            }
            try (InputStream in = f.getInputStream(e)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the path of the 1.6.1 jar the test class path holds */
    public static Path classPathJar() {
        ProtectionDomain pd;
        try {
            pd = Class.forName("com.ericsson.otp.erlang.OtpEpmd").getProtectionDomain();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        try {
            return Paths.get(pd.getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A loader that defines every {@code com.ericsson.otp.erlang} class itself,
     * from {@code jar}, passing the hooked ones through the agent's transformer
     * as the JVM would; everything else (the agent's {@code Hooks}) comes from
     * the parent, as it does for an application's loader under the agent.
     */
    public static final class RewritingLoader extends ClassLoader {
        private final Path jar;
        private final JInterfaceTransformer transformer = new JInterfaceTransformer();

        public RewritingLoader(Path jar, ClassLoader parent) {
            super(parent);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(jar + " is missing");
            }
            this.jar = jar;
        }

        public JInterfaceTransformer transformer() {
            return transformer;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(JInterfaceAccess.PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String internal = name.replace('.', '/');
                    byte[] bytes;
                    try {
                        bytes = fromJar(jar, internal);
                    } catch (IllegalStateException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                    byte[] rewritten = transformer.transform(this, internal, null, null, bytes);
                    byte[] use = rewritten != null ? rewritten : bytes;
                    c = defineClass(name, use, 0, use.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
