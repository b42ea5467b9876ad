package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.ItEnv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The deployable jars hold only the project's own packages and META-INF. */
class PackagingTest {

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
