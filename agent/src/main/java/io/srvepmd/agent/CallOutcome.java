package io.srvepmd.agent;

import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.Resolution;
import java.util.List;

/** What one call of a resolver came to, as the chain reads it. */
final class CallOutcome {

    enum Kind {
        /** The resolver answered for the node. */
        ANSWER,
        /** "Not mine" (or, for a listing, "I cannot list"): ask the next resolver. */
        NOT_MINE,
        /** The resolver owns the node and says it is not there: an answer, cached as such. */
        NOT_FOUND,
        /** The resolver's source could not be reached, it failed, or it ran out of time. */
        UNAVAILABLE,
        /** The resolver listed its nodes. */
        LISTED
    }

    final Kind kind;
    final Resolution resolution;
    final List<NodeEntry> listing;
    /** Why there is no answer, for messages; {@code null} for answers. */
    final String reason;
    /** Whether the agent stopped waiting for the resolver (an {@link Kind#UNAVAILABLE} outcome). */
    final boolean timedOut;
    /**
     * Whether this failure came while the calling thread's interrupt flag was
     * raised during the call: the resolver may have failed because of the
     * interrupt, so the outcome says nothing about the node.
     */
    final boolean interrupted;

    private CallOutcome(Kind kind, Resolution resolution, List<NodeEntry> listing, String reason, boolean timedOut,
            boolean interrupted) {
        this.kind = kind;
        this.resolution = resolution;
        this.listing = listing;
        this.reason = reason;
        this.timedOut = timedOut;
        this.interrupted = interrupted;
    }

    private CallOutcome(Kind kind, Resolution resolution, List<NodeEntry> listing, String reason, boolean timedOut) {
        this(kind, resolution, listing, reason, timedOut, false);
    }

    /** @return this outcome as seen by a thread interrupted during the call: failures are marked */
    CallOutcome whileInterrupted() {
        if (kind != Kind.NOT_FOUND && kind != Kind.UNAVAILABLE) {
            return this; // an answer (or "not mine") holds whatever the flag
        }
        return new CallOutcome(kind, resolution, listing, reason + " (the calling thread was interrupted during"
                + " the call)", timedOut, true);
    }

    static CallOutcome answer(Resolution r) {
        return new CallOutcome(Kind.ANSWER, r, null, null, false);
    }

    static CallOutcome listed(List<NodeEntry> entries) {
        return new CallOutcome(Kind.LISTED, null, List.copyOf(entries), null, false);
    }

    static CallOutcome notMine() {
        return new CallOutcome(Kind.NOT_MINE, null, null, null, false);
    }

    static CallOutcome notFound(String reason) {
        return new CallOutcome(Kind.NOT_FOUND, null, null, reason, false);
    }

    static CallOutcome unavailable(String reason) {
        return new CallOutcome(Kind.UNAVAILABLE, null, null, reason, false);
    }

    static CallOutcome timedOut(String reason) {
        return new CallOutcome(Kind.UNAVAILABLE, null, null, reason, true);
    }
}
