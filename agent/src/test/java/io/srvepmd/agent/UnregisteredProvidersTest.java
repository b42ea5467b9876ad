package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import io.srvepmd.spi.Resolution;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding provider classes that their jar or directory does not register, from
 * class-file headers, on real class files compiled with this test.
 */
class UnregisteredProvidersTest {

    /** A provider through an abstract base class of its own jar. */
    public abstract static class Base extends EpmdResolverProvider {
        @Override
        public EpmdResolver get(Configuration configuration) {
            return node -> Optional.<Resolution>empty();
        }
    }

    public static final class Derived extends Base {
        @Override
        public String name() {
            return "derived";
        }
    }

    @TempDir
    Path dir;

    private static final String GOOD = ProvidersTest.Good.class.getName();
    private static final String DERIVED = Derived.class.getName();

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static String entryName(Class<?> c) {
        return c.getName().replace('.', '/') + ".class";
    }

    /** A jar of {@code entries} (name to content) in the temp directory. */
    private Path jar(String name, Map<String, byte[]> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static Map<String, byte[]> entries(Object... nameAndContent) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndContent.length; i += 2) {
            Object v = nameAndContent[i + 1];
            m.put((String) nameAndContent[i], v instanceof String ? ((String) v).getBytes(StandardCharsets.UTF_8)
                    : (byte[]) v);
        }
        return m;
    }

    @Test
    void readsNameAndSuperClassFromTheHeader() throws IOException {
        UnregisteredProviders.Header h = UnregisteredProviders.Header.read(classFile(Derived.class));
        assertNotNull(h);
        assertEquals(entryName(Derived.class).replace(".class", ""), h.name);
        assertEquals(entryName(Base.class).replace(".class", ""), h.superName);
        assertNull(UnregisteredProviders.Header.read("not a class".getBytes(StandardCharsets.UTF_8)));
        assertNull(UnregisteredProviders.Header.read(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}));
    }

    @Test
    void aJarWithProvidersButNoServicesFileIsNamedWithItsProviders() throws IOException {
        Path jar = jar("plugin.jar", entries(entryName(ProvidersTest.Good.class), classFile(ProvidersTest.Good.class),
                entryName(Base.class), classFile(Base.class), entryName(Derived.class), classFile(Derived.class),
                "a/Broken.class", "garbage", "README.txt", "hello"));

        UnregisteredProviders.Unregistered u = UnregisteredProviders.find(jar);
        assertEquals(List.of(GOOD, DERIVED), u.classes, "concrete subclasses, direct or through a base; sorted");
        String why = UnregisteredProviders.explain(jar.toString());
        assertTrue(why.startsWith(jar + " holds resolver provider " + GOOD + ", " + DERIVED + " but no "
                + UnregisteredProviders.SERVICES + " entry"), why);
        assertTrue(why.contains("annotation processor path"), why);
    }

    @Test
    void aRegisteredJarIsNotNamed() throws IOException {
        Path jar = jar("ok.jar", entries(entryName(ProvidersTest.Good.class), classFile(ProvidersTest.Good.class),
                UnregisteredProviders.SERVICES, "# providers\n" + GOOD + "  # the good one\r\n"));
        assertEquals(List.of(), UnregisteredProviders.find(jar).classes);
        assertEquals("", UnregisteredProviders.explain(jar.toString()));
    }

    @Test
    void aProviderMissingFromAnExistingServicesFileIsNamed() throws IOException {
        Path jar = jar("half.jar", entries(entryName(ProvidersTest.Good.class), classFile(ProvidersTest.Good.class),
                entryName(Base.class), classFile(Base.class), entryName(Derived.class), classFile(Derived.class),
                UnregisteredProviders.SERVICES, GOOD + "\n"));
        String why = UnregisteredProviders.explain(jar.toString());
        assertTrue(why.startsWith(jar + " holds resolver provider " + DERIVED + " not listed in its "
                + UnregisteredProviders.SERVICES), why);
    }

    @Test
    void aClassesDirectoryIsSearchedToo() throws IOException {
        Path classes = dir.resolve("classes");
        Path file = classes.resolve(entryName(ProvidersTest.Good.class));
        Files.createDirectories(file.getParent());
        Files.write(file, classFile(ProvidersTest.Good.class));
        assertEquals(List.of(GOOD), UnregisteredProviders.find(classes).classes);

        Path services = classes.resolve(UnregisteredProviders.SERVICES);
        Files.createDirectories(services.getParent());
        Files.writeString(services, GOOD + "\n");
        assertEquals(List.of(), UnregisteredProviders.find(classes).classes);
    }

    @Test
    void jarsWithoutProvidersAndMissingEntriesSayNothing() throws IOException {
        Path plain = jar("plain.jar", entries(entryName(UnregisteredProvidersTest.class),
                classFile(UnregisteredProvidersTest.class)));
        Path notAJar = Files.writeString(dir.resolve("not.jar"), "text");
        String classPath = String.join(File.pathSeparator, plain.toString(), notAJar.toString(),
                dir.resolve("absent.jar").toString(), "");
        assertEquals("", UnregisteredProviders.explain(classPath));
    }

    @Test
    void anUnknownKeyAfterDiscoveryNamesTheUnregisteredJar() throws Exception {
        Path jar = jar("plugin.jar", entries(entryName(ProvidersTest.Good.class),
                classFile(ProvidersTest.Good.class)));
        Providers discovered = Providers.discover(getClass().getClassLoader(), jar.toString());
        Properties props = new Properties();
        props.setProperty("srvepmd.good.port", "4370");
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> Settings.load(null, props, Map.of(), discovered.knownKeys()));

        String message = discovered.explainUnknown(unknown).getMessage();
        assertTrue(message.startsWith(unknown.getMessage() + "; " + jar + " holds resolver provider " + GOOD),
                message);
    }

    @Test
    void anUnknownResolverAfterDiscoveryNamesTheUnregisteredJar() throws Exception {
        Path jar = jar("plugin.jar", entries(entryName(ProvidersTest.Good.class),
                classFile(ProvidersTest.Good.class)));
        Providers discovered = Providers.discover(getClass().getClassLoader(), jar.toString());
        Settings none = Settings.load(null, new Properties(), Map.of(), discovered.knownKeys());
        ConfigException e = assertThrows(ConfigException.class, () -> discovered.create(List.of("good"), none));
        assertTrue(e.getMessage().startsWith("setting resolvers names 'good', but no such resolver"), e.getMessage());
        assertTrue(e.getMessage().contains("; " + jar + " holds resolver provider " + GOOD), e.getMessage());
    }

    @Test
    void theBuiltInProvidersNeverReadTheClassPath() throws Exception {
        ConfigException e = new ConfigException("unknown setting x");
        assertSame(e, Providers.builtIn().explainUnknown(e));
    }
}
