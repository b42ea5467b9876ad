package io.srvepmd.it.support;

import java.nio.file.Path;

/** Resolver provider jars built at test time from source against the SPI (inside the agent jar). */
public final class ProviderJars {

    private ProviderJars() {
    }

    /**
     * A provider jar: class {@code pkg.name} extending EpmdResolverProvider with
     * {@code members} (a default get() returning a resolver that knows nothing is
     * added unless the members define get), registered in META-INF/services.
     */
    public static Path provider(String name, String pkg, String members) {
        String get = members.contains(" get(") ? ""
                : "public EpmdResolver get(Configuration c) { return node -> java.util.Optional.empty(); }\n";
        String source = "package " + pkg + ";\n"
                + "import io.srvepmd.spi.EpmdResolver;\n"
                + "import io.srvepmd.spi.EpmdResolverProvider;\n"
                + "public final class " + name + " extends EpmdResolverProvider {\n"
                + members + "\n" + get + "}\n";
        return TestJar.named(name).classPath(ItEnv.agentJar())
                .source(pkg + "." + name, source)
                .resource("META-INF/services/io.srvepmd.spi.EpmdResolverProvider", pkg + "." + name + "\n")
                .build();
    }
}
