package io.srvepmd.agent;

import io.srvepmd.spi.EpmdResolver;

/** A resolver and the provider name it was created under, for messages. */
final class NamedResolver {

    final String name;
    final EpmdResolver resolver;

    public NamedResolver(String name, EpmdResolver resolver) {
        this.name = name;
        this.resolver = resolver;
    }

    public String name() {
        return name;
    }

    public EpmdResolver resolver() {
        return resolver;
    }
}
