package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.ClassFileInfo;
import io.srvepmd.it.support.ItEnv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The deployable jars hold only the project's own packages and META-INF, register
 * exactly their own services, and make public exactly what a host or a plugin may use.
 */
class PackagingTest {

    /** Every public (or protected nested) type of the agent jar outside the relocated libraries. */
    private static final Set<String> AGENT_PUBLIC_TYPES = Set.of(
            "io.srvepmd.agent.Agent",                 // Premain-Class, Agent-Class
            "io.srvepmd.agent.Cli",                   // Main-Class
            "io.srvepmd.agent.Hooks",                 // called by the rewritten JInterface classes, in any loader
            "io.srvepmd.agent.JInterfaceBridge",      // extended by the bridge written into each JInterface copy
            "io.srvepmd.agent.slf4j.SilentSlf4jProvider", // ServiceLoader of the relocated SLF4J
            "io.srvepmd.dns.DnsSrvResolverProvider",  // ServiceLoader of the SPI
            "io.srvepmd.dns.DnsSrvStatsMXBean",       // JMX reads only public MBean interfaces
            // the SPI, for resolver plug-ins
            "io.srvepmd.spi.Candidate",
            "io.srvepmd.spi.EpmdResolver",
            "io.srvepmd.spi.EpmdResolverProvider",
            "io.srvepmd.spi.EpmdResolverProvider$Configuration",
            "io.srvepmd.spi.HostResolver",
            "io.srvepmd.spi.NodeEntry",
            "io.srvepmd.spi.NodeName",
            "io.srvepmd.spi.NodeNotFoundException",
            "io.srvepmd.spi.Resolution",
            "io.srvepmd.spi.UnavailableException");

    private static final Set<String> STATIC_PUBLIC_TYPES = Set.of("io.srvepmd.staticmap.StaticResolverProvider");

    /** The packages of the agent's own classes. */
    private static final Set<String> AGENT_PACKAGES = Set.of("io/srvepmd/agent/", "io/srvepmd/agent/slf4j/",
            "io/srvepmd/dns/", "io/srvepmd/spi/");

    /**
     * The only packages relocated into the agent jar: ByteBuddy's ASM (nothing else of
     * ByteBuddy), dnsjava without its spi and tools packages (its InetAddressResolverProvider
     * would take over the host's name resolution), and SLF4J's API.
     */
    private static final List<String> SHADED_PACKAGES = List.of("io/srvepmd/shaded/bytebuddy/jar/asm/",
            "io/srvepmd/shaded/dnsjava/", "io/srvepmd/shaded/dnsjava/config/", "io/srvepmd/shaded/dnsjava/dnssec/",
            "io/srvepmd/shaded/dnsjava/hosts/", "io/srvepmd/shaded/dnsjava/io/", "io/srvepmd/shaded/dnsjava/lookup/",
            "io/srvepmd/shaded/dnsjava/utils/", "io/srvepmd/shaded/slf4j/", "io/srvepmd/shaded/slf4j/event/",
            "io/srvepmd/shaded/slf4j/helpers/", "io/srvepmd/shaded/slf4j/spi/");

    @Test
    void agentJarHoldsOnlyProjectPackagesAndMetaInf() throws IOException {
        assertEquals(List.of(), foreignEntries(ItEnv.agentJar(), "io/srvepmd/"));
    }

    @Test
    void agentJarManifestDeclaresTheAgent() throws IOException {
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertNotNull(main.getValue("Premain-Class"), "Premain-Class");
            assertNotNull(main.getValue("Agent-Class"), "Agent-Class");
            assertEquals("true", main.getValue("Can-Retransform-Classes"), "Can-Retransform-Classes");
            // Resolved next to the jar itself: it must name the jar's own file.
            assertEquals(ItEnv.agentJar().getFileName().toString(), main.getValue("Boot-Class-Path"), "Boot-Class-Path");
            assertNotNull(jar.getEntry(main.getValue("Premain-Class").replace('.', '/') + ".class"),
                    "the Premain-Class is in the jar");
        }
    }

    /**
     * The build rewrites the relocated libraries (their lambdas as classes, dnsjava's Header.random
     * made on first read). From the boot class path the JVM does not verify them, so this loads and
     * initialises every one of them in a class loader that does, and checks no invokedynamic is left.
     */
    @Test
    void rewrittenLibraryClassesPassTheVerifierAndHoldNoInvokedynamic() throws Exception {
        List<String> failures = new java.util.ArrayList<>();
        int checked = 0;
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile());
                java.net.URLClassLoader loader = new java.net.URLClassLoader(
                        new java.net.URL[] {ItEnv.agentJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (java.util.jar.JarEntry e : java.util.Collections.list(jar.entries())) {
                String name = e.getName();
                if (!name.startsWith("io/srvepmd/shaded/") || !name.endsWith(".class")) {
                    continue;
                }
                try (java.io.DataInputStream in = new java.io.DataInputStream(jar.getInputStream(e))) {
                    String why = StartupDisciplineTest.forbiddenIn(in);
                    if (why != null && why.startsWith("uses invokedynamic")) {
                        failures.add(name + ": " + why);
                    }
                }
                if (name.startsWith("io/srvepmd/shaded/dnsjava/") || name.startsWith("io/srvepmd/shaded/slf4j/")) {
                    String cls = name.substring(0, name.length() - 6).replace('/', '.');
                    try {
                        Class.forName(cls, true, loader); // linking verifies it
                        checked++;
                    } catch (VerifyError | ClassFormatError | IncompatibleClassChangeError bad) {
                        failures.add(cls + ": " + bad);
                    } catch (Throwable initFailed) {
                        checked++; // verified; its initialiser wants a context it does not have here
                    }
                }
            }
        }
        assertTrue(checked > 500, "checked only " + checked + " classes");
        assertEquals(List.of(), failures);
    }

    @Test
    void staticResolverJarHoldsOnlyItsPackageAndMetaInf() throws IOException {
        assertEquals(List.of(), foreignEntries(ItEnv.staticJar(), "io/srvepmd/staticmap/"));
    }

    /**
     * The agent jar is on the boot class path, so every services file in it is seen by
     * every ServiceLoader of the JVM: exactly the agent's two registrations, nothing
     * that could take over the host's name resolution or logging.
     */
    @Test
    void agentJarRegistersExactlyItsOwnServices() throws IOException {
        assertEquals(Map.of(
                "io.srvepmd.spi.EpmdResolverProvider", List.of("io.srvepmd.dns.DnsSrvResolverProvider"),
                "io.srvepmd.shaded.slf4j.spi.SLF4JServiceProvider", List.of("io.srvepmd.agent.slf4j.SilentSlf4jProvider")),
                services(ItEnv.agentJar()));
    }

    /**
     * The relocated SLF4J takes the agent's silent provider without looking for providers (a build
     * step redirects {@code LoggerFactory.getProvider()}): with every services file hidden, SLF4J's
     * own discovery would find none and fall back to its NOP provider.
     */
    @Test
    void relocatedSlf4jTakesTheSilentProviderWithoutDiscovery() throws Exception {
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
                new java.net.URL[] {ItEnv.agentJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader()) {
            @Override
            public java.util.Enumeration<java.net.URL> getResources(String name) throws IOException {
                return name.startsWith("META-INF/services/") ? java.util.Collections.emptyEnumeration()
                        : super.getResources(name);
            }
        }) {
            java.lang.reflect.Method getProvider = loader.loadClass("io.srvepmd.shaded.slf4j.LoggerFactory")
                    .getDeclaredMethod("getProvider");
            getProvider.setAccessible(true);
            assertEquals("io.srvepmd.agent.slf4j.SilentSlf4jProvider",
                    getProvider.invoke(null).getClass().getName());
        }
    }

    @Test
    void staticResolverJarRegistersExactlyItsProvider() throws IOException {
        assertEquals(Map.of("io.srvepmd.spi.EpmdResolverProvider", List.of("io.srvepmd.staticmap.StaticResolverProvider")),
                services(ItEnv.staticJar()));
    }

    /** Public exactly what a host (the JVM, the rewritten JInterface) or a plugin uses; read from the bytes. */
    @Test
    void agentJarMakesPublicExactlyTheEntryPointsAndTheSpi() throws IOException {
        assertEquals(new TreeSet<>(AGENT_PUBLIC_TYPES), publicTypes(ItEnv.agentJar(), "io/srvepmd/shaded/"));
    }

    @Test
    void staticResolverJarMakesPublicExactlyItsProvider() throws IOException {
        assertEquals(new TreeSet<>(STATIC_PUBLIC_TYPES), publicTypes(ItEnv.staticJar(), null));
    }

    @Test
    void agentJarHoldsItsOwnPackagesAndOnlyTheRelocatedAsmDnsjavaAndSlf4j() throws IOException {
        Set<String> foreign = new TreeSet<>();
        Set<String> shadedSeen = new TreeSet<>();
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile())) {
            for (JarEntry e : jar.stream().collect(Collectors.toList())) {
                String n = e.getName();
                if (!n.endsWith(".class")) {
                    continue;
                }
                String pkg = n.substring(0, n.lastIndexOf('/') + 1);
                if (pkg.startsWith("io/srvepmd/shaded/")) {
                    if (SHADED_PACKAGES.contains(pkg)) {
                        shadedSeen.add(pkg.substring(0, pkg.indexOf('/', "io/srvepmd/shaded/".length()) + 1));
                    } else {
                        foreign.add(n);
                    }
                } else if (!AGENT_PACKAGES.contains(pkg)) {
                    foreign.add(n);
                }
            }
        }
        assertEquals(Set.of(), foreign, "classes outside the agent's packages and the relocated libraries");
        assertEquals(Set.of("io/srvepmd/shaded/bytebuddy/", "io/srvepmd/shaded/dnsjava/", "io/srvepmd/shaded/slf4j/"),
                shadedSeen, "each relocated library is there");
    }

    /** META-INF/services files: service -> provider lines (without comments and blanks). */
    private static Map<String, List<String>> services(Path jarPath) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            for (JarEntry e : jar.stream().collect(Collectors.toList())) {
                String n = e.getName();
                if (n.startsWith("META-INF/services/") && !e.isDirectory()) {
                    try (InputStream in = jar.getInputStream(e)) {
                        out.put(n.substring("META-INF/services/".length()),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                                        .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty())
                                        .collect(Collectors.toList()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The types a class outside the jar's packages can use: public top-level classes, and
     * nested classes declared public or protected inside such a type (from the
     * InnerClasses attribute; local and anonymous classes never are). Class files under
     * {@code skip} and package-info/module-info are left out. Read from the class files'
     * bytes; nothing is loaded.
     */
    private static Set<String> publicTypes(Path jarPath, String skip) throws IOException {
        Map<String, ClassFileInfo> classes = new HashMap<>();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            for (JarEntry e : jar.stream().collect(Collectors.toList())) {
                String n = e.getName();
                if (!n.endsWith(".class") || (skip != null && n.startsWith(skip))
                        || n.endsWith("package-info.class") || n.endsWith("module-info.class")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(e)) {
                    ClassFileInfo c = ClassFileInfo.read(in.readAllBytes());
                    assertEquals(n.substring(0, n.length() - ".class".length()).replace('/', '.'), c.name, n);
                    classes.put(c.name, c);
                }
            }
        }
        Set<String> exposed = new TreeSet<>();
        for (ClassFileInfo c : classes.values()) {
            if (isExposed(c, classes)) {
                exposed.add(c.name);
            }
        }
        return exposed;
    }

    private static boolean isExposed(ClassFileInfo c, Map<String, ClassFileInfo> classes) {
        ClassFileInfo.InnerClass nested = c.asNested();
        if (nested == null) {
            return (c.access & ClassFileInfo.ACC_PUBLIC) != 0;
        }
        if (nested.outer == null
                || (nested.access & (ClassFileInfo.ACC_PUBLIC | ClassFileInfo.ACC_PROTECTED)) == 0) {
            return false;
        }
        ClassFileInfo outer = classes.get(nested.outer);
        assertNotNull(outer, "outer class " + nested.outer + " of " + c.name + " is in the jar");
        return isExposed(outer, classes);
    }

    /** Entries outside {@code prefix} and META-INF (directory entries of the prefix's parents allowed). */
    private static List<String> foreignEntries(Path jarPath, String prefix) throws IOException {
        assertTrue(jarPath.toFile().isFile(), "missing " + jarPath);
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            return jar.stream().map(e -> e.getName())
                    .filter(n -> !n.startsWith(prefix) && !n.startsWith("META-INF/"))
                    .filter(n -> !(n.endsWith("/") && prefix.startsWith(n)))
                    .sorted().collect(Collectors.toList());
        }
    }
}
