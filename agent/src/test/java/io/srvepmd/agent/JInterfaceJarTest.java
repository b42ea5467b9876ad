package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What doctor reads from the JInterface a class loader sees, on the real jars: Maven Central's 1.6.1 and
 * Debian's 1.13.1 (the flags each one's handshake offers, as javap shows AbstractNode's constructors
 * storing them), and a copy whose path says nothing.
 */
class JInterfaceJarTest {

    private static JInterfaceJar find(Path jar) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            return JInterfaceJar.find(loader);
        }
    }

    @Test
    void mavenCentral161SaysItsVersionAndLacksWhatOtp23AndLaterRequire() throws IOException {
        Path jar = JInterfaceJars.classPathJar();
        JInterfaceJar found = find(jar);

        assertEquals("1.6.1", found.version, "from its pom.properties");
        assertEquals(jar.toString(), found.location);
        assertEquals(200084, found.flags);
        assertEquals(List.of("EXPORT_PTR_TAG", "BIG_CREATION", "HANDSHAKE_23", "UNLINK_ID", "V4_NC"),
                DistFlags.names(found.lacks(DistFlags.MANDATORY)));
        assertEquals("1.6.1 (" + jar + ")", found.describe());
    }

    @Test
    void debian1131SaysItsVersionByItsPathAndOffersWhatCurrentOtpRequires() throws IOException {
        JInterfaceJar found = find(JInterfaceJars.DEBIAN_1_13_1);

        assertEquals("1.13.1", found.version, "from lib/jinterface-1.13.1/priv/OtpErlang.jar");
        assertEquals(17297772436L, found.flags);
        assertEquals(0, found.lacks(DistFlags.MANDATORY));
    }

    @Test
    void aCopyWhosePathSaysNothingHasAnUnknownVersionButKnownFlags(@TempDir Path dir) throws IOException {
        Path copy = Files.copy(JInterfaceJars.DEBIAN_1_13_1, dir.resolve("erlang.jar"));
        JInterfaceJar found = find(copy);

        assertNull(found.version);
        assertEquals("of unknown version (" + copy + ")", found.describe());
        assertEquals(17297772436L, found.flags);
    }

    @Test
    void noJInterfaceNoAnswer() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertNull(JInterfaceJar.find(empty));
        }
    }
}
