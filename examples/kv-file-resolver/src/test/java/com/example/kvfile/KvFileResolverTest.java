package com.example.kvfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver on its own, without the agent: a plug-in's tests need only the SPI. */
class KvFileResolverTest {

    @TempDir
    Path dir;

    /** The settings the agent would pass, from a map. */
    private static final class Settings implements EpmdResolverProvider.Configuration {
        final Map<String, String> values = new HashMap<>();

        Settings with(String key, String value) {
            values.put(key, value);
            return this;
        }

        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public String describe(String key) {
            return "setting " + key;
        }
    }

    private EpmdResolver resolver(String... lines) throws Exception {
        Path file = Files.write(dir.resolve("nodes.txt"), List.of(lines));
        return new KvFileResolverProvider().get(new Settings().with("kvfile.file", file.toString())
                .with("kvfile.ttl", "30s"));
    }

    @Test
    void theBuildRegisteredTheProvider() {
        // What the agent does at start-up: if @AutoService did not run, this finds nothing.
        List<String> names = ServiceLoader.load(EpmdResolverProvider.class).stream()
                .map(p -> p.get().name()).collect(Collectors.toList());
        assertEquals(List.of("kvfile"), names);
    }

    @Test
    void answersANodeInTheFile() throws Exception {
        EpmdResolver r = resolver("# comment", "", "a@svc=127.0.0.1:4370", "b@svc = [::1] : 4371");

        Resolution a = r.resolve(NodeName.parse("a@svc")).orElseThrow();
        assertEquals(List.of(Candidate.of(InetAddress.getByName("127.0.0.1"), 4370)), a.candidates());
        assertEquals(Duration.ofSeconds(30), a.ttl());
        assertTrue(a.source().endsWith("nodes.txt:3"), a.source());
        assertEquals(List.of(Candidate.of(InetAddress.getByName("::1"), 4371)),
                r.resolve(NodeName.parse("b@svc")).orElseThrow().candidates());
    }

    @Test
    void aNodeNotInTheFileIsNotMine() throws Exception {
        assertEquals(Optional.empty(), resolver("a@svc=127.0.0.1:4370").resolve(NodeName.parse("z@svc")));
    }

    @Test
    void listsTheFile() throws Exception {
        assertEquals(List.of(NodeEntry.of(NodeName.parse("a@svc"), 4370), NodeEntry.of(NodeName.parse("b@svc"), 4371)),
                resolver("a@svc=127.0.0.1:4370", "b@svc=127.0.0.1:4371").list().orElseThrow());
    }

    @Test
    void aMissingFileIsAnOutageNotAnAnswer() {
        EpmdResolver r = new KvFileResolverProvider().get(new Settings().with("kvfile.file",
                dir.resolve("absent.txt").toString()));
        UnavailableException e = assertThrows(UnavailableException.class, () -> r.resolve(NodeName.parse("a@svc")));
        assertTrue(e.getMessage().contains("absent.txt"), e.getMessage());
    }

    @Test
    void aMalformedLineIsAnOutageNamingTheLine() throws Exception {
        EpmdResolver r = resolver("a@svc=127.0.0.1:4370", "b@svc=127.0.0.1:http");
        UnavailableException e = assertThrows(UnavailableException.class, () -> r.resolve(NodeName.parse("a@svc")));
        assertTrue(e.getMessage().contains("nodes.txt:2") && e.getMessage().contains("port 'http'"), e.getMessage());
    }

    @Test
    void settingsErrorsNameTheSetting() {
        KvFileResolverProvider p = new KvFileResolverProvider();
        IllegalArgumentException noFile = assertThrows(IllegalArgumentException.class, () -> p.get(new Settings()));
        assertTrue(noFile.getMessage().startsWith("setting kvfile.file is not set"), noFile.getMessage());
        IllegalArgumentException badTtl = assertThrows(IllegalArgumentException.class,
                () -> p.get(new Settings().with("kvfile.file", "x").with("kvfile.ttl", "5")));
        assertTrue(badTtl.getMessage().startsWith("setting kvfile.ttl='5'"), badTtl.getMessage());
    }
}
