package io.srvepmd.agent;

import io.srvepmd.spi.EpmdResolver;
import java.util.concurrent.Semaphore;

/**
 * A resolver, the provider name it was created under (for messages), whether
 * it runs on the caller's thread, the permits that bound how many calls of it
 * may run at once on the agent's threads, and how its calls went.
 */
final class NamedResolver {

    final String name;
    final EpmdResolver resolver;
    /** Whether the resolver honours its timeout, asked once (see {@link ResolverCalls}). */
    final boolean onCallersThread;
    final Semaphore permits = new Semaphore(ResolverCalls.CALLS_PER_RESOLVER);
    final ResolverStats stats = new ResolverStats();

    NamedResolver(String name, EpmdResolver resolver) {
        this.name = name;
        this.resolver = resolver;
        this.onCallersThread = honoursTimeout(resolver);
    }

    /** A plug-in that cannot even answer this is not trusted to bound itself. */
    private static boolean honoursTimeout(EpmdResolver resolver) {
        try {
            return resolver.honoursTimeout();
        } catch (Throwable e) {
            return false;
        }
    }

    String name() {
        return name;
    }

    EpmdResolver resolver() {
        return resolver;
    }
}
