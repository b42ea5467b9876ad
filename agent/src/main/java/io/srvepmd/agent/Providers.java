package io.srvepmd.agent;

import io.srvepmd.dns.DnsSrvResolverProvider;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds resolver providers and creates the resolvers the {@code resolvers}
 * setting names. A provider is third-party code running in the host's
 * start-up: whatever it throws becomes a configuration error naming it, never
 * an exception out of {@code premain} (which would abort the JVM).
 */
final class Providers {

    private final Map<String, EpmdResolverProvider> byName;
    private final Set<String> knownKeys;
    /** The class path searched, to explain an unknown name with; null: not searched (built-in providers only). */
    private final String classPath;

    private Providers(Map<String, EpmdResolverProvider> byName, Set<String> knownKeys, String classPath) {
        this.byName = byName;
        this.knownKeys = knownKeys;
        this.classPath = classPath;
    }

    /**
     * Every provider the system class loader sees: the agent jar's own and the
     * jars on the application's class path.
     */
    static Providers discover(ClassLoader loader) throws ConfigException {
        return discover(loader, System.getProperty("java.class.path", ""));
    }

    /** @param classPath where {@code loader} looks, for {@link #explainUnknown} */
    static Providers discover(ClassLoader loader, String classPath) throws ConfigException {
        Map<String, EpmdResolverProvider> byName = new LinkedHashMap<>();
        Set<String> keys = new TreeSet<>(CoreSettings.KEYS);
        try {
            Iterator<EpmdResolverProvider> found = ServiceLoader.load(EpmdResolverProvider.class, loader).iterator();
            while (found.hasNext()) {
                EpmdResolverProvider p = found.next();
                String name = nameOf(p);
                EpmdResolverProvider other = byName.putIfAbsent(name, p);
                if (other != null && other.getClass() != p.getClass()) {
                    throw new ConfigException("two resolver providers are named '" + name + "': "
                            + other.getClass().getName() + " and " + p.getClass().getName()
                            + "; remove one of their jars from the class path");
                }
                keys.addAll(keysOf(p));
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigException("a resolver provider on the class path cannot be loaded: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
        }
        return new Providers(byName, keys, classPath);
    }

    /** Only the providers inside the agent jar, without a class-path scan. */
    static Providers builtIn() throws ConfigException {
        Map<String, EpmdResolverProvider> byName = new LinkedHashMap<>();
        Set<String> keys = new TreeSet<>(CoreSettings.KEYS);
        EpmdResolverProvider dns = new DnsSrvResolverProvider();
        byName.put(nameOf(dns), dns);
        keys.addAll(keysOf(dns));
        return new Providers(byName, keys, null);
    }

    /** @return the keys the agent and every provider found read */
    Set<String> knownKeys() {
        return knownKeys;
    }

    /** @return the providers found, by name */
    Set<String> names() {
        return byName.keySet();
    }

    /** Creates the named resolvers, in order, letting each validate its settings. */
    List<NamedResolver> create(List<String> names, EpmdResolverProvider.Configuration settings)
            throws ConfigException {
        List<NamedResolver> chain = new ArrayList<>();
        for (String name : names) {
            EpmdResolverProvider p = byName.get(name);
            if (p == null) {
                throw explainUnknown(new ConfigException("setting resolvers names '" + name + "', but no such"
                        + " resolver is on the class path (found: " + String.join(", ", byName.keySet())
                        + "); add its jar to the application class path"));
            }
            chain.add(new NamedResolver(name, create(name, p, settings)));
        }
        return chain;
    }

    /**
     * An error naming a key or resolver that no provider found declares, with the
     * jars and directories of the searched class path that hold providers their
     * {@code META-INF/services} file does not list (a plug-in built without its
     * services file looks exactly like a missing jar otherwise). The class path is
     * read only here, on that error path, and only after a full discovery.
     */
    ConfigException explainUnknown(ConfigException e) {
        if (classPath == null) {
            return e;
        }
        String hidden = UnregisteredProviders.explain(classPath);
        return hidden.isEmpty() ? e : new ConfigException(e.getMessage() + "; " + hidden);
    }

    private static EpmdResolver create(String name, EpmdResolverProvider p,
            EpmdResolverProvider.Configuration settings) throws ConfigException {
        EpmdResolver r;
        try {
            r = p.get(settings);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("resolver " + name + ": " + e.getMessage());
        } catch (Throwable e) {
            throw new ConfigException("resolver " + name + " (" + p.getClass().getName() + ") failed to start: " + e);
        }
        if (r == null) {
            throw new ConfigException("resolver " + name + " (" + p.getClass().getName() + ") created no resolver"
                    + " (its get() returned null)");
        }
        return r;
    }

    private static String nameOf(EpmdResolverProvider p) throws ConfigException {
        String name;
        try {
            name = p.name();
        } catch (Throwable e) {
            throw new ConfigException("resolver provider " + p.getClass().getName() + " failed to tell its name: "
                    + e);
        }
        if (name == null || name.isEmpty()) {
            throw new ConfigException("resolver provider " + p.getClass().getName() + " has no name");
        }
        return name;
    }

    private static Set<String> keysOf(EpmdResolverProvider p) throws ConfigException {
        try {
            Set<String> keys = p.configurationKeys();
            return keys == null ? Set.of() : Set.copyOf(keys);
        } catch (Throwable e) {
            throw new ConfigException("resolver provider " + p.getClass().getName()
                    + " failed to list its configuration keys: " + e);
        }
    }
}
