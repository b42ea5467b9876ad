package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersTest {

    public static final class Good extends EpmdResolverProvider {
        @Override
        public String name() {
            return "good";
        }

        @Override
        public EpmdResolver get(Configuration configuration) {
            return node -> Optional.<Resolution>empty();
        }
    }

    public static final class Picky extends EpmdResolverProvider {
        @Override
        public String name() {
            return "picky";
        }

        @Override
        public EpmdResolver get(Configuration configuration) {
            throw new IllegalArgumentException("picky.x='?' is not valid; expected a number");
        }
    }

    public static final class Broken extends EpmdResolverProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public EpmdResolver get(Configuration configuration) {
            throw new IllegalStateException("cannot start");
        }
    }

    /** Another class claiming the name "good". */
    public static final class Impostor extends EpmdResolverProvider {
        @Override
        public String name() {
            return "good";
        }

        @Override
        public EpmdResolver get(Configuration configuration) {
            throw new UnsupportedOperationException();
        }
    }

    @TempDir
    Path dir;

    /** A loader whose only service registration lists {@code providers}. */
    private ClassLoader loaderWith(Class<?>... providers) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Class<?> p : providers) {
            s.append(p.getName()).append('\n');
        }
        Path file = Files.writeString(dir.resolve("services"), s.toString());
        URL url = file.toUri().toURL();
        return new ClassLoader(ProvidersTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals("META-INF/services/" + EpmdResolverProvider.class.getName())
                        ? Collections.enumeration(List.of(url)) : super.getResources(name);
            }
        };
    }

    private static Settings noSettings() throws ConfigException {
        return Settings.load(null, new Properties(), Map.of(),
                CoreSettings.KEYS);
    }

    @Test
    void createsTheNamedResolversInOrder() throws Exception {
        Providers p = Providers.discover(loaderWith(Good.class, Picky.class));
        assertEquals(2, p.names().size());
        List<NamedResolver> chain = p.create(List.of("good"), noSettings());
        assertEquals(1, chain.size());
        assertEquals("good", chain.get(0).name());
        assertEquals(Optional.empty(), chain.get(0).resolver().resolve(NodeName.parse("a@h")));
    }

    @Test
    void unknownResolverNameListsTheOnesFound() throws Exception {
        Providers p = Providers.discover(loaderWith(Good.class, Picky.class));
        ConfigException e = assertThrows(ConfigException.class, () -> p.create(List.of("good", "statc"),
                noSettings()));
        assertTrue(e.getMessage().contains("'statc'"), e.getMessage());
        assertTrue(e.getMessage().contains("found: good, picky"), e.getMessage());
    }

    @Test
    void providerRejectingItsSettingsNamesTheResolver() throws Exception {
        Providers p = Providers.discover(loaderWith(Picky.class));
        ConfigException e = assertThrows(ConfigException.class, () -> p.create(List.of("picky"), noSettings()));
        assertTrue(e.getMessage().startsWith("resolver picky: "), e.getMessage());
        assertTrue(e.getMessage().contains("picky.x='?' is not valid"), e.getMessage());
    }

    @Test
    void providerFailingOtherwiseNamesTheResolver() throws Exception {
        Providers p = Providers.discover(loaderWith(Broken.class));
        ConfigException e = assertThrows(ConfigException.class, () -> p.create(List.of("broken"), noSettings()));
        assertTrue(e.getMessage().contains("resolver broken"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
    }

    @Test
    void twoProvidersWithOneNameAreRejected() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Providers.discover(loaderWith(Good.class, Impostor.class)));
        assertTrue(e.getMessage().contains("'good'"), e.getMessage());
        assertTrue(e.getMessage().contains(Impostor.class.getName()), e.getMessage());
    }

    @Test
    void unloadableProviderIsAConfigError() throws Exception {
        Path file = Files.writeString(dir.resolve("services"), "no.such.Provider\n");
        URL url = file.toUri().toURL();
        ClassLoader loader = new ClassLoader(ProvidersTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.startsWith("META-INF/services/") ? Collections.enumeration(List.of(url))
                        : super.getResources(name);
            }
        };
        ConfigException e = assertThrows(ConfigException.class, () -> Providers.discover(loader));
        assertTrue(e.getMessage().contains("no.such.Provider"), e.getMessage());
    }

    @Test
    void theBundledDnsSrvProviderIsFound() throws Exception {
        Providers p = Providers.discover(ProvidersTest.class.getClassLoader());
        assertTrue(p.names().contains("dns-srv"), p.names().toString());
    }
}
