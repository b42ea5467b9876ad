package io.srvepmd.build;

import java.util.ArrayList;
import java.util.List;

/** Static fields for LazyStaticsTest; {@link Witness} records when each initialiser ran. */
public class LazySamples {

    /** Another class: what the initialisers tell happens there. */
    public static final class Witness {
        static final List<String> EVENTS = new ArrayList<>();

        static StringBuilder made(String what) {
            EVENTS.add(what);
            return new StringBuilder(what);
        }
    }

    /** Moved: its statement and the one after it that starts by reading it. */
    private static final StringBuilder EXPENSIVE = Witness.made("expensive");

    static {
        EXPENSIVE.append("+configured");
    }

    static final StringBuilder EAGER = Witness.made("eager");

    /** Not movable: its initialiser calls a method of this class. */
    static final int CALLS_OWN = own();

    private static int own() {
        return 1;
    }

    public static String read() {
        Witness.EVENTS.add("read");
        return EXPENSIVE.toString();
    }

    public static List<String> events() {
        return Witness.EVENTS;
    }
}
