package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.net.InetSocketAddress;

/**
 * What operators see of each lookup and connect attempt: the counters behind
 * the JMX MBeans, JFR events {@code io.srvepmd.Resolution} and
 * {@code io.srvepmd.Connect}, and DEBUG log lines. Each is nearly free when
 * nobody looks: a counter increment, a flag read, a level check.
 *
 * <p>JFR's event classes are loaded only once the JVM's Flight Recorder is
 * running: loading the first event class of a JVM costs ~80 ms otherwise, and
 * a recording started later (with {@code jcmd JFR.start}) is picked up at the
 * next event.
 */
final class Telemetry {

    static final String LOCAL = "local";
    static final String CACHE = "cache";
    static final String RESOLVER = "resolver";
    static final String STALE = "stale";

    final AgentStats stats = new AgentStats();

    /** Cleared if this JVM has no Flight Recorder (a jlink image without jdk.jfr). */
    private static volatile boolean jfrPresent = true;

    /** @return a started JFR resolution event, or {@code null} if no recording could see it */
    Object beginResolution() {
        if (!flightRecorderRunning()) {
            return null;
        }
        ResolutionEvent e = new ResolutionEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** A lookup answered: with {@code r}, or with {@code failure} (then {@code r} is null). */
    void resolved(Object jfr, NodeName node, String source, String resolver, Resolution r, String failure,
            boolean noSuchNode, long startNanos) {
        stats.lookups.increment();
        if (source == LOCAL) {
            stats.localAnswers.increment();
        } else if (source == CACHE) {
            stats.cacheHits.increment();
        } else {
            stats.cacheMisses.increment();
        }
        if (source == STALE) {
            stats.staleAnswers.increment();
        }
        if (failure != null) {
            stats.resolutionFailures.increment();
            if (noSuchNode) {
                stats.negativeAnswers.increment();
            }
        }
        if (jfr != null) {
            commit((ResolutionEvent) jfr, node, source, resolver, r, failure);
        }
        if (AgentLog.debugging()) {
            AgentLog.debug((failure == null ? "resolved " + node + " from " + source + ": " + r
                    : "cannot resolve " + node + " (" + source + "): " + failure) + " ("
                    + (System.nanoTime() - startNanos) / 1000 + " us)");
        }
    }

    /** @return a started JFR connect event, or {@code null} if no recording could see it */
    Object beginConnect() {
        if (!flightRecorderRunning()) {
            return null;
        }
        ConnectEvent e = new ConnectEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** One connect attempt ended: {@code failure} is null when it connected. */
    void connectAttempt(Object jfr, String node, InetSocketAddress endpoint, int attempt, long startNanos,
            String failure) {
        stats.connectAttempts.increment();
        if (failure != null) {
            stats.connectFailures.increment();
            if (AgentLog.debugging()) {
                AgentLog.debug("connect attempt " + attempt + " to " + node + " at " + Connector.literal(endpoint)
                        + " failed after " + (System.nanoTime() - startNanos) / 1_000_000 + " ms: " + failure);
            }
        }
        if (jfr != null) {
            commit((ConnectEvent) jfr, node, endpoint, attempt, failure);
        }
    }

    /**
     * The distribution handshake on a connection an endpoint accepted failed:
     * a JFR connect event for that attempt, and a DEBUG line.
     */
    void handshakeFailed(String node, InetSocketAddress endpoint, int attempt, String failure) {
        stats.handshakeFailures.increment();
        if (AgentLog.debugging()) {
            AgentLog.debug("connect attempt " + attempt + " to " + node + " at " + Connector.literal(endpoint)
                    + " reached something else: " + failure);
        }
        Object jfr = beginConnect();
        if (jfr != null) {
            commit((ConnectEvent) jfr, node, endpoint, attempt, failure);
        }
    }

    void invalidated() {
        stats.invalidations.increment();
    }

    private static void commit(ResolutionEvent e, NodeName node, String source, String resolver, Resolution r,
            String failure) {
        e.end();
        if (e.shouldCommit()) {
            e.node = node.toString();
            e.source = source;
            e.resolver = resolver;
            e.candidates = r == null ? null : r.candidates().toString();
            e.outcome = failure == null ? "ok" : failure;
            e.commit();
        }
    }

    private static void commit(ConnectEvent e, String node, InetSocketAddress endpoint, int attempt,
            String failure) {
        e.end();
        if (e.shouldCommit()) {
            e.node = node;
            e.endpoint = Connector.literal(endpoint);
            e.attempt = attempt;
            e.outcome = failure == null ? "ok" : failure;
            e.commit();
        }
    }

    static boolean flightRecorderRunning() {
        if (!jfrPresent) {
            return false;
        }
        try {
            return jdk.jfr.FlightRecorder.isInitialized();
        } catch (LinkageError noJfr) {
            jfrPresent = false;
            return false;
        }
    }
}
