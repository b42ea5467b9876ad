package io.srvepmd.dns;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeNotFoundException;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.SRVRecord;

/**
 * The candidates made from one SRV answer, and the records skipped on the
 * way with the reason for each. One unusable record (a target without
 * address, port 0, an address question that went unanswered) must not make
 * the whole node unresolvable when others are fine; but what was skipped is
 * said, in the resolution's source (which the operator reads in
 * {@code java -jar srv-epmd-agent.jar resolve NODE}) or, when nothing is
 * left, in the error; so is a candidate used without an address family whose
 * question went unanswered. Not thread-safe: one instance per resolution.
 */
final class SrvCandidates {

    private final String what;
    private final String from;
    private final List<Candidate> candidates = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<String> incomplete = new ArrayList<>();
    private long ttl = Long.MAX_VALUE;
    private int records;
    private int notAvailable;
    private boolean unanswered;

    /**
     * @param what the question, for errors, such as {@code "SRV n.svc for node n@svc"}
     * @param from the server that gave the SRV answer, such as {@code "127.0.0.1:53"}
     */
    SrvCandidates(String what, String from) {
        this.what = what;
        this.from = from;
    }

    /** Adds a usable record's candidate; {@code ttl} is the smallest TTL of the records it came from. */
    void add(Candidate c, long ttl) {
        records++;
        candidates.add(c);
        this.ttl = Math.min(this.ttl, ttl);
    }

    /**
     * Notes that the candidate just added from {@code srv} lacks an address
     * family that went unanswered: it is used, but the answer is incomplete.
     *
     * @param why the family's question and what its attempts got
     */
    void incomplete(SRVRecord srv, String why) {
        incomplete.add(label(srv) + " without " + why);
        unanswered = true;
    }

    /** Records a target of {@code .}: the service is decidedly not available there (RFC 2782). */
    void notAvailable(SRVRecord srv) {
        records++;
        notAvailable++;
        skipped.add(label(srv) + " says the service is decidedly not available");
    }

    /**
     * Records an unusable SRV record.
     *
     * @param why what is wrong, to follow the record's {@code target:port}, such as "has port 0"
     * @param unanswered whether it is unusable only because a question went
     *        unanswered: then the node may exist after all
     */
    void skip(SRVRecord srv, String why, boolean unanswered) {
        records++;
        skipped.add(label(srv) + " " + why);
        this.unanswered |= unanswered;
    }

    private static String label(SRVRecord srv) {
        return srv.getTarget().toString(true) + ":" + srv.getPort();
    }

    /**
     * @param source where the answer came from, such as {@code "SRV n.svc via 127.0.0.1:53"}
     * @return the resolution of the usable records; its source lists what was skipped
     * @throws IOException if no record is usable; an {@link UnavailableException}
     *         if one was skipped only because a question went unanswered
     */
    Resolution resolution(String source) throws IOException {
        if (candidates.isEmpty()) {
            throw failure();
        }
        String s = source;
        long seconds = ttl;
        if (!skipped.isEmpty()) {
            s += "; skipped " + skipped.size() + " of " + records + " SRV records: " + String.join("; ", skipped);
        }
        if (!incomplete.isEmpty()) {
            s += "; incomplete: " + String.join("; ", incomplete);
        }
        if (unanswered) {
            // Incomplete for a passing reason: let the agent ask again soon (its dns.min-ttl),
            // rather than keep a partial answer for the records' full TTL.
            seconds = 0;
        }
        return Resolution.of(candidates, Duration.ofSeconds(seconds), s);
    }

    private IOException failure() {
        if (notAvailable == records) {
            return new NodeNotFoundException(what + ": SRV target '.' from " + from
                    + " says the service is decidedly not available (RFC 2782)");
        }
        String message = what + ": no usable SRV record from " + from + ": " + String.join("; ", skipped);
        return unanswered ? new UnavailableException(message) : new NodeNotFoundException(message);
    }
}
