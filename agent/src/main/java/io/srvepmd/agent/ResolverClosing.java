package io.srvepmd.agent;

import java.util.List;

/**
 * Closes the resolvers at JVM shutdown on a daemon thread of its own, and
 * waits for them at most {@value #BOUND_MILLIS} ms in all: the JVM runs
 * shutdown hooks to completion before it exits, so a plug-in whose
 * {@code close()} blocks would otherwise hang {@code System.exit} for good.
 */
final class ResolverClosing extends Thread {

    static final long BOUND_MILLIS = 1000;

    private final List<NamedResolver> resolvers;
    /** The resolver being closed, for the warning when it takes too long. */
    private volatile NamedResolver closing;

    private ResolverClosing(List<NamedResolver> resolvers) {
        super("srv-epmd-close-resolvers");
        this.resolvers = resolvers;
        setDaemon(true);
    }

    /** @return whether every resolver closed in time */
    static boolean closeAll(List<NamedResolver> resolvers) {
        ResolverClosing closer = new ResolverClosing(resolvers);
        closer.start();
        if (closer.awaitEnd()) {
            return true;
        }
        NamedResolver stuck = closer.closing;
        AgentLog.warn("resolver " + (stuck == null ? "?" : stuck.name) + " did not close within " + BOUND_MILLIS
                + " ms; the JVM exits without waiting for it");
        return false;
    }

    @Override
    public void run() {
        for (NamedResolver r : resolvers) {
            closing = r;
            try {
                r.resolver.close();
            } catch (Throwable e) {
                // shutting down: a resolver's failure to close must not disturb the host's exit
            }
        }
        closing = null;
    }

    /** Waits for the end of {@link #run} within the bound; an interrupt does not cut the wait short. */
    private boolean awaitEnd() {
        long end = System.nanoTime() + BOUND_MILLIS * 1_000_000;
        boolean interrupted = false;
        try {
            while (isAlive()) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                try {
                    join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
