package io.srvepmd.agent;

/** Monotonic time in nanoseconds: {@link System#nanoTime()}, or a test's hand-moved clock. */
interface Clock {

    Clock SYSTEM = new SystemClock();

    long nanoTime();

    /** A named class (start-up discipline, it-tests' StartupDisciplineTest). */
    final class SystemClock implements Clock {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
