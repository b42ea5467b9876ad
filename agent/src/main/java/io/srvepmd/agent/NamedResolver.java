package io.srvepmd.agent;

import io.srvepmd.spi.EpmdResolver;
import java.util.concurrent.Semaphore;

/**
 * A resolver, the provider name it was created under (for messages), the
 * permits that bound how many calls of it may run at once, and how its calls went.
 */
final class NamedResolver {

    final String name;
    final EpmdResolver resolver;
    final Semaphore permits = new Semaphore(ResolverCalls.CALLS_PER_RESOLVER);
    final ResolverStats stats = new ResolverStats();

    NamedResolver(String name, EpmdResolver resolver) {
        this.name = name;
        this.resolver = resolver;
    }

    String name() {
        return name;
    }

    EpmdResolver resolver() {
        return resolver;
    }
}
