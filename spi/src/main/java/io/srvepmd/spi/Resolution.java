package io.srvepmd.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a resolver found for a node: where it listens, for how long that answer
 * may be reused, and where it came from. Immutable.
 */
public final class Resolution {

    private final List<Candidate> candidates;
    private final Duration ttl;
    private final String source;

    private Resolution(List<Candidate> candidates, Duration ttl, String source) {
        this.candidates = candidates;
        this.ttl = ttl;
        this.source = source;
    }

    /**
     * @param candidates at least one; the agent orders them by priority and,
     *        within a priority, by weighted random choice (RFC 2782); equal
     *        priorities and weights keep the given order
     * @param ttl how long the answer may be reused; the agent bounds it with
     *        its {@code dns.min-ttl} and {@code dns.max-ttl}, so a "forever"
     *        TTL is fine
     * @param source a short description for messages, such as
     *        {@code "SRV node-0.svc.service.consul via 127.0.0.1:8600"}
     * @return the resolution
     * @throws IllegalArgumentException if there is no candidate or the TTL is negative
     */
    public static Resolution of(List<Candidate> candidates, Duration ttl, String source) {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(source, "source");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a resolution needs at least one candidate (" + source + ")");
        }
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("negative TTL " + ttl + " (" + source + ")");
        }
        return new Resolution(List.copyOf(candidates), ttl, source);
    }

    /** @return the candidates, in the resolver's order; never empty */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** @return how long the answer may be reused */
    public Duration ttl() {
        return ttl;
    }

    /** @return where the answer came from, for messages */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Resolution)) {
            return false;
        }
        Resolution r = (Resolution) o;
        return r.candidates.equals(candidates) && r.ttl.equals(ttl) && r.source.equals(source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(candidates, ttl, source);
    }

    /** @return for example {@code SRV a.svc via 127.0.0.1:53 -> [10.0.0.7:4370] ttl 5s} */
    @Override
    public String toString() {
        return source + " -> " + candidates + " ttl " + ttl.getSeconds() + "s";
    }
}
