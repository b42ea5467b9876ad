package io.srvepmd.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The capability flags nodes exchange in the Erlang distribution handshake
 * (the distribution protocol's documentation; erts' dist.h), and which of them
 * a node requires of its peer: it refuses a handshake that lacks one, answers
 * {@code not_allowed} and logs "rejected since it cannot handle [...]" with
 * the missing flags' names, as {@link #names} spells them.
 */
final class DistFlags {

    static final long EXTENDED_REFERENCES = 0x4;
    static final long DIST_MONITOR = 0x8;
    static final long FUN_TAGS = 0x10;
    static final long DIST_MONITOR_NAME = 0x20;
    static final long NEW_FUN_TAGS = 0x80;
    static final long EXTENDED_PIDS_PORTS = 0x100;
    static final long EXPORT_PTR_TAG = 0x200;
    static final long BIT_BINARIES = 0x400;
    static final long NEW_FLOATS = 0x800;
    static final long UNICODE_IO = 0x1000;
    static final long UTF8_ATOMS = 0x10000;
    static final long MAP_TAG = 0x20000;
    static final long BIG_CREATION = 0x40000;
    static final long HANDSHAKE_23 = 0x1000000;
    static final long UNLINK_ID = 0x2000000;
    static final long MANDATORY_25_DIGEST = 0x4000000;
    static final long V4_NC = 1L << 34;

    /** What OTP 25 requires of a peer (OTP 23 and 24 a part of it, BIG_CREATION among it). */
    static final long MANDATORY_25 = EXTENDED_REFERENCES | FUN_TAGS | EXTENDED_PIDS_PORTS | UTF8_ATOMS | NEW_FUN_TAGS
            | BIG_CREATION | NEW_FLOATS | MAP_TAG | EXPORT_PTR_TAG | BIT_BINARIES | HANDSHAKE_23;

    /** What OTP 26 added: OTP 26 through 29 require both sets. */
    static final long MANDATORY_26 = V4_NC | UNLINK_ID;

    /** Every flag that a current node (OTP 26-29) requires. */
    static final long MANDATORY = MANDATORY_25 | MANDATORY_26;

    private static final Map<Long, String> NAMES = new TreeMap<>();

    static {
        NAMES.put(EXTENDED_REFERENCES, "EXTENDED_REFERENCES");
        NAMES.put(FUN_TAGS, "FUN_TAGS");
        NAMES.put(NEW_FUN_TAGS, "NEW_FUN_TAGS");
        NAMES.put(EXTENDED_PIDS_PORTS, "EXTENDED_PIDS_PORTS");
        NAMES.put(EXPORT_PTR_TAG, "EXPORT_PTR_TAG");
        NAMES.put(BIT_BINARIES, "BIT_BINARIES");
        NAMES.put(NEW_FLOATS, "NEW_FLOATS");
        NAMES.put(UTF8_ATOMS, "UTF8_ATOMS");
        NAMES.put(MAP_TAG, "MAP_TAG");
        NAMES.put(BIG_CREATION, "BIG_CREATION");
        NAMES.put(HANDSHAKE_23, "HANDSHAKE_23");
        NAMES.put(UNLINK_ID, "UNLINK_ID");
        NAMES.put(V4_NC, "V4_NC");
    }

    private DistFlags() {
    }

    /** The names of the {@link #MANDATORY} flags in {@code flags}, in bit order. */
    static List<String> names(long flags) {
        List<String> names = new ArrayList<>();
        NAMES.forEach((bit, name) -> {
            if ((flags & bit) != 0) {
                names.add(name);
            }
        });
        return names;
    }
}
