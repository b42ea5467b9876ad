package io.srvepmd.agent;

import io.srvepmd.dns.DnsSrvResolverProvider;
import io.srvepmd.spi.EpmdResolverProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds resolver providers and creates the resolvers the {@code resolvers} setting names. */
final class Providers {

    private final Map<String, EpmdResolverProvider> byName;

    private Providers(Map<String, EpmdResolverProvider> byName) {
        this.byName = byName;
    }

    /**
     * Every provider the system class loader sees: the agent jar's own and the
     * jars on the application's class path.
     */
    static Providers discover(ClassLoader loader) throws ConfigException {
        Map<String, EpmdResolverProvider> byName = new LinkedHashMap<>();
        try {
            for (EpmdResolverProvider p : ServiceLoader.load(EpmdResolverProvider.class, loader)) {
                EpmdResolverProvider other = byName.putIfAbsent(p.name(), p);
                if (other != null && other.getClass() != p.getClass()) {
                    throw new ConfigException("two resolver providers are named '" + p.name() + "': "
                            + other.getClass().getName() + " and " + p.getClass().getName()
                            + "; remove one of their jars from the class path");
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigException("a resolver provider on the class path cannot be loaded: " + e.getMessage());
        }
        return new Providers(byName);
    }

    /** Only the providers inside the agent jar, without a class-path scan. */
    static Providers builtIn() {
        Map<String, EpmdResolverProvider> byName = new LinkedHashMap<>();
        EpmdResolverProvider dns = new DnsSrvResolverProvider();
        byName.put(dns.name(), dns);
        return new Providers(byName);
    }

    List<EpmdResolverProvider> all() {
        return new ArrayList<>(byName.values());
    }

    /** Creates the named resolvers, in order, letting each validate its settings. */
    List<NamedResolver> create(List<String> names, EpmdResolverProvider.Configuration settings)
            throws ConfigException {
        List<NamedResolver> chain = new ArrayList<>();
        for (String name : names) {
            EpmdResolverProvider p = byName.get(name);
            if (p == null) {
                throw new ConfigException("setting resolvers names '" + name + "', but no such resolver is on the"
                        + " class path (found: " + String.join(", ", byName.keySet()) + "); add its jar to the"
                        + " application class path");
            }
            try {
                chain.add(new NamedResolver(name, p.get(settings)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("resolver " + name + ": " + e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                throw new ConfigException("resolver " + name + " failed to start: " + e);
            }
        }
        return chain;
    }
}
