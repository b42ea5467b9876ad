package io.srvepmd.staticmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticResolverProviderTest {

    @TempDir
    Path dir;

    private final StaticResolverProvider provider = new StaticResolverProvider();

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    private Path file(String... lines) throws Exception {
        Path f = dir.resolve("nodes.conf");
        Files.write(f, List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void foundByServiceLoader() {
        Set<String> names = ServiceLoader.load(EpmdResolverProvider.class).stream()
                .map(p -> p.get().name()).collect(Collectors.toSet());
        assertTrue(names.contains("static"), names.toString());
    }

    @Test
    void nameAndKeys() {
        assertEquals("static", provider.name());
        assertEquals(Set.of("static.nodes", "static.file"), provider.configurationKeys());
    }

    @Test
    void neitherKeySet() {
        assertEquals("resolver 'static' is selected but neither static.nodes nor static.file is set;"
                + " set static.nodes to entries such as"
                + " 'node-0@host-a=10.0.0.7:4370;*@*.svc.cluster.local=:4370', or static.file"
                + " to a file with one such entry per line",
                error(() -> provider.get(new MapConfiguration())));
    }

    @Test
    void nodesSetting() throws Exception {
        EpmdResolver resolver = provider.get(new MapConfiguration().with("static.nodes", "a@h=10.0.0.1:1; b@h=[::1]:2"));
        assertEquals(Optional.of(List.of(NodeEntry.of(NodeName.parse("a@h"), 1),
                NodeEntry.of(NodeName.parse("b@h"), 2))), resolver.list());
    }

    @Test
    void nodesSettingWithoutEntries() {
        assertEquals("test setting static.nodes = ' ; ' holds no entries; " + StaticEntryParser.EXPECTED
                + ", several separated by ';'",
                error(() -> provider.get(new MapConfiguration().with("static.nodes", " ; "))));
    }

    @Test
    void nodesSettingBadEntry() {
        assertEquals("test setting static.nodes: bad entry 'a@h=10.0.0.1'"
                + ": missing ':PORT' after the address '10.0.0.1'; " + StaticEntryParser.EXPECTED,
                error(() -> provider.get(new MapConfiguration().with("static.nodes", "a@h=10.0.0.1"))));
    }

    @Test
    void fileSetting() throws Exception {
        Path f = file("# cluster nodes", "", "a@h=10.0.0.1:1  # the first", "*@*.svc=:4370");
        EpmdResolver resolver = provider.get(new MapConfiguration().with("static.file", f.toString()));
        Resolution r = resolver.resolve(NodeName.parse("a@h")).orElseThrow();
        assertEquals("static entry 'a@h=10.0.0.1:1' (static.file " + f.toAbsolutePath() + " line 3)", r.source());
        assertEquals(Optional.of(List.of(NodeEntry.of(NodeName.parse("a@h"), 1))), resolver.list());
        assertEquals(Optional.empty(), resolver.resolve(NodeName.parse("a@other")));
    }

    @Test
    void bothSettingsNodesFirst() throws Exception {
        Path f = file("a@h=10.0.0.2:2", "b@h=10.0.0.2:2");
        EpmdResolver resolver = provider.get(new MapConfiguration()
                .with("static.file", f.toString())
                .with("static.nodes", "a@h=10.0.0.1:1"));
        assertEquals(1, resolver.resolve(NodeName.parse("a@h")).orElseThrow().candidates().get(0).port());
        assertEquals(2, resolver.resolve(NodeName.parse("b@h")).orElseThrow().candidates().get(0).port());
    }

    @Test
    void fileBadLine() throws Exception {
        Path f = file("# header", "a@h=10.0.0.1:1", "", "*@*.svc=:99999 # too big");
        assertEquals("test setting static.file: " + f.toAbsolutePath() + " line 4: bad entry '*@*.svc=:99999'"
                + ": port 99999 is out of range 1-65535; " + StaticEntryParser.EXPECTED,
                error(() -> provider.get(new MapConfiguration().with("static.file", f.toString()))));
    }

    @Test
    void fileWithoutEntries() throws Exception {
        Path f = file("# nothing yet", "");
        assertEquals("test setting static.file: the file " + f.toAbsolutePath() + " holds no entries; "
                + StaticEntryParser.EXPECTED + ", one per line",
                error(() -> provider.get(new MapConfiguration().with("static.file", f.toString()))));
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.conf");
        assertEquals("test setting static.file: cannot read the file " + f + ": NoSuchFileException: " + f,
                error(() -> provider.get(new MapConfiguration().with("static.file", f.toString()))));
    }

    @Test
    void directoryInsteadOfFile() {
        String message = error(() -> provider.get(new MapConfiguration().with("static.file", dir.toString())));
        assertTrue(message.startsWith("test setting static.file: cannot read the file " + dir + ": "), message);
    }

    @Test
    void notUtf8() throws Exception {
        Path f = dir.resolve("latin1.conf");
        Files.write(f, new byte[] {'#', ' ', (byte) 0xE9, '\n'});
        String message = error(() -> provider.get(new MapConfiguration().with("static.file", f.toString())));
        assertTrue(message.startsWith("test setting static.file: cannot read the file " + f
                + ": it is not UTF-8 text (java.nio.charset.MalformedInputException: Input length = 1)"), message);
    }

    @Test
    void invalidPath() {
        String message = error(() -> provider.get(new MapConfiguration().with("static.file", "a\0b")));
        assertTrue(message.startsWith("test setting static.file = 'a\0b' is not a valid path: "), message);
    }
}
