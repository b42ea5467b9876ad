package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ReflectionException;

/**
 * JMX MBean {@code io.srvepmd:type=Agent}: the agent's counters (monotonic
 * unless named a gauge), and operations to drop cached answers and to describe
 * the cache and settings. A {@link DynamicMBean}, so the agent publishes no
 * MBean interface of its own for hosts to depend on (see {@link ReadOnlyMBean}).
 */
final class AgentMBean extends ReadOnlyMBean {

    static final String OBJECT_NAME = "io.srvepmd:type=Agent";

    private static final String[][] COUNTERS = {
        {"Lookups", "Lookups of peers (OtpEpmd.lookupPort)"},
        {"LocalAnswers", "Lookups of nodes of this JVM, answered without a question"},
        {"CacheHits", "Lookups answered from the cache (answers and remembered failures)"},
        {"CacheMisses", "Lookups that asked the resolvers, or waited for another thread's question"},
        {"StaleAnswers", "Lookups answered with a last good answer while its source was unavailable"},
        {"NegativeAnswers", "Lookups answered 'no such node'"},
        {"ResolutionFailures", "Lookups that ended in an error, 'no such node' included"},
        {"ConnectAttempts", "TCP connect attempts to resolved endpoints"},
        {"ConnectFailures", "Connect attempts that failed"},
        {"HandshakeFailures", "Connections an endpoint accepted whose distribution handshake then failed"
                + " (not the node: another node or another service at that address and port)"},
        {"Invalidations", "Cached answers dropped after a failed connection or by an operator"},
    };

    private final Bootstrap boot;

    AgentMBean(Bootstrap boot) {
        this.boot = boot;
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        AgentStats s = boot.telemetry.stats;
        switch (name) {
            case "Lookups":
                return s.lookups.sum();
            case "LocalAnswers":
                return s.localAnswers.sum();
            case "CacheHits":
                return s.cacheHits.sum();
            case "CacheMisses":
                return s.cacheMisses.sum();
            case "StaleAnswers":
                return s.staleAnswers.sum();
            case "NegativeAnswers":
                return s.negativeAnswers.sum();
            case "ResolutionFailures":
                return s.resolutionFailures.sum();
            case "ConnectAttempts":
                return s.connectAttempts.sum();
            case "ConnectFailures":
                return s.connectFailures.sum();
            case "HandshakeFailures":
                return s.handshakeFailures.sum();
            case "Invalidations":
                return s.invalidations.sum();
            case "CachedNodes":
                return boot.resolver.cache().size();
            case "Resolvers":
                return boot.chain.names();
            default:
                throw new AttributeNotFoundException(name);
        }
    }

    @Override
    public Object invoke(String operation, Object[] params, String[] signature) throws ReflectionException {
        try {
            switch (operation) {
                case "invalidate":
                    boot.resolver.invalidate(NodeName.parse((String) params[0]));
                    return null;
                case "invalidateAll":
                    boot.resolver.invalidateAll();
                    return null;
                case "describeCache":
                    return CacheReport.lines(boot.resolver.cache().snapshot(), System.nanoTime());
                case "describeSettings":
                    return settings();
                default:
                    throw new ReflectionException(new NoSuchMethodException(operation));
            }
        } catch (IllegalArgumentException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            // JMX clients see the message: a malformed node name says what is wrong with it
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private String[] settings() {
        List<String> lines = new ArrayList<>(boot.settings.explicitSettings());
        lines.add("resolvers in use: " + boot.chain.names());
        return lines.toArray(new String[0]);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        for (String[] c : COUNTERS) {
            attributes.add(new MBeanAttributeInfo(c[0], "long", c[1], true, false, false));
        }
        attributes.add(new MBeanAttributeInfo("CachedNodes", "int", "Nodes in the cache now (a gauge)", true, false,
                false));
        attributes.add(new MBeanAttributeInfo("Resolvers", "java.lang.String", "The resolver chain, in order", true,
                false, false));
        MBeanParameterInfo node = new MBeanParameterInfo("node", "java.lang.String", "A node name, alive@host");
        MBeanOperationInfo[] operations = {
            new MBeanOperationInfo("invalidate", "Drops the node's cached answer: the next lookup asks again",
                    new MBeanParameterInfo[] {node}, "void", MBeanOperationInfo.ACTION),
            new MBeanOperationInfo("invalidateAll", "Drops every cached answer", new MBeanParameterInfo[0], "void",
                    MBeanOperationInfo.ACTION),
            new MBeanOperationInfo("describeCache", "One line per cached node: outcome, source, age, TTL left,"
                    + " candidates", new MBeanParameterInfo[0], "[Ljava.lang.String;", MBeanOperationInfo.INFO),
            new MBeanOperationInfo("describeSettings", "The settings in effect and where each came from",
                    new MBeanParameterInfo[0], "[Ljava.lang.String;", MBeanOperationInfo.INFO),
        };
        return new MBeanInfo(AgentMBean.class.getName(), "The srv-epmd agent",
                attributes.toArray(new MBeanAttributeInfo[0]), null, operations, null);
    }

    /** The cache as operators read it: one line per node, sorted. */
    static final class CacheReport {
        private CacheReport() {
        }

        static String[] lines(Map<NodeName, CacheEntry> entries, long now) {
            Map<String, String> sorted = new TreeMap<>();
            for (Map.Entry<NodeName, CacheEntry> e : entries.entrySet()) {
                sorted.put(e.getKey().toString(), line(e.getKey(), e.getValue(), now));
            }
            return sorted.values().toArray(new String[0]);
        }

        static String line(NodeName node, CacheEntry e, long now) {
            String age = seconds(now - e.storedAt);
            String left = e.isFresh(now) ? "fresh for " + seconds(e.freshUntil - now) : "expired";
            if (!e.isAnswer()) {
                return node + "  " + (e.outage ? "outage" : "no such node") + ", age " + age + ", " + left + ": "
                        + e.failure;
            }
            return node + "  " + (e.stale ? "stale answer" : "answer") + " from " + e.resolver + " ("
                    + e.resolution.source() + "), age " + age + ", " + left + ", candidates "
                    + e.resolution.candidates();
        }

        private static String seconds(long nanos) {
            long tenths = nanos / 100_000_000;
            return tenths / 10 + "." + tenths % 10 + "s";
        }
    }
}
