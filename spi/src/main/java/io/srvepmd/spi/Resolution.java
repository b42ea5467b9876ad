package io.srvepmd.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a resolver found for a node: where it listens, for how long that answer
 * may be reused, and optionally which distribution protocol versions it speaks.
 */
public final class Resolution {

    private final List<Candidate> candidates;
    private final Duration ttl;
    private final int distLow;
    private final int distHigh;
    private final String source;

    private Resolution(List<Candidate> candidates, Duration ttl, int distLow, int distHigh, String source) {
        this.candidates = candidates;
        this.ttl = ttl;
        this.distLow = distLow;
        this.distHigh = distHigh;
        this.source = source;
    }

    /**
     * @param candidates at least one; the agent orders them by priority and,
     *        within a priority, by weighted random choice (RFC 2782); equal
     *        priorities and weights keep the given order
     * @param ttl how long the answer may be reused (the agent bounds it with
     *        its own minimum and maximum)
     * @param source a short description for messages, such as
     *        {@code "SRV node-0.svc.service.consul"}
     * @return the resolution, with no distribution version range of its own
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
        return new Resolution(List.copyOf(candidates), ttl, 0, 0, source);
    }

    /**
     * The same resolution with the distribution protocol versions the node
     * speaks. Without this the agent uses its {@code dist.version} setting.
     *
     * @param low lowest version, at least 1
     * @param high highest version, at least {@code low}
     * @return a new resolution
     */
    public Resolution withDistVersions(int low, int high) {
        if (low < 1 || high < low) {
            throw new IllegalArgumentException("bad distribution version range " + low + ".." + high);
        }
        return new Resolution(candidates, ttl, low, high, source);
    }

    /** @return the candidates, in the resolver's order; never empty */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** @return how long the answer may be reused */
    public Duration ttl() {
        return ttl;
    }

    /** @return the lowest distribution version, or 0 if the resolver did not say */
    public int distLow() {
        return distLow;
    }

    /** @return the highest distribution version, or 0 if the resolver did not say */
    public int distHigh() {
        return distHigh;
    }

    /** @return where the answer came from, for messages */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source + " -> " + candidates + " ttl " + ttl.getSeconds() + "s";
    }
}
