package io.srvepmd.agent;

/**
 * Rethrows a checked exception the agent cannot declare: JInterface's own
 * {@code OtpAuthException} lives in the application's class loader, so the
 * hooks, linked in the system loader, cannot name it. The JVM does not check
 * declared exceptions; JInterface's callers declare it.
 */
final class Sneaky {

    private Sneaky() {
    }

    /** @return never; declared so a caller can write {@code throw Sneaky.raise(t)} */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T raise(Throwable t) throws T {
        throw (T) t;
    }
}
