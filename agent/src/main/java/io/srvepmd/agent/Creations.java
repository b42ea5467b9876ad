package io.srvepmd.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Hands out node creations as epmd would: a value that differs from the
 * previous incarnation of the node, so that pids and references of a
 * restarted node are not confused with the old ones. JInterface 1.13+
 * (OTP 23+) takes 32-bit creations: a random one in 4..2^31-1 differs between
 * restarts except with negligible chance. Older JInterface takes 1..3 only:
 * never the previous value in this JVM, random across JVM restarts.
 *
 * <p>Node names may be random ({@code rpc-*} helpers), so only the
 * {@value #REMEMBERED} most recently created names are remembered.
 */
final class Creations {

    static final int REMEMBERED = 1024;

    private final Random random;
    private final Map<String, Integer> last = new RecentNames();

    Creations() {
        // Uniqueness, not secrecy, is needed; SecureRandom would cost the host ~15 ms of start-up.
        this(new Random());
    }

    Creations(Random random) {
        this.random = random;
    }

    synchronized int next(String node, boolean big) {
        Integer previous = last.get(node);
        int c;
        do {
            c = big ? 4 + random.nextInt(Integer.MAX_VALUE - 4) : 1 + random.nextInt(3);
        } while (previous != null && c == previous);
        last.put(node, c);
        return c;
    }

    synchronized int remembered() {
        return last.size();
    }

    /** The most recently created names, oldest dropped first (a named class: start-up discipline). */
    private static final class RecentNames extends LinkedHashMap<String, Integer> {
        private static final long serialVersionUID = 1L;

        RecentNames() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    }
}
