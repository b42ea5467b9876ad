package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes this JVM hosts and their listen ports. A lookup of one of them, or
 * (DynamicSrv.Epmd's rule) of a helper variant of one — {@code rpc-<alive>-<anything>@<host>}
 * with the helper pattern — is answered with loopback and that port, without
 * asking any resolver.
 */
final class LocalNodes {

    private final Map<NodeName, Integer> ports = new ConcurrentHashMap<>();
    private final HelperNames helpers;

    public LocalNodes(HelperNames helpers) {
        this.helpers = helpers;
    }

    public void publish(NodeName node, int port) {
        ports.put(node, port);
    }

    public void unpublish(NodeName node) {
        ports.remove(node);
    }

    /** @return the listen port of the local node {@code node} stands for, or 0 if none */
    public int portOf(NodeName node) {
        Integer exact = ports.get(node);
        if (exact != null) {
            return exact;
        }
        int helperEnd = helpers.matchEnd(node.alive());
        if (helperEnd <= 0) {
            return 0;
        }
        String rest = node.alive().substring(helperEnd);
        for (Map.Entry<NodeName, Integer> local : ports.entrySet()) {
            NodeName name = local.getKey();
            if (name.host().equals(node.host()) && rest.startsWith(name.alive() + "-")) {
                return local.getValue();
            }
        }
        return 0;
    }

    /** @return whether {@code alive} is a helper name (ephemeral listen port) */
    public boolean isHelper(String alive) {
        return helpers.matchEnd(alive) >= 0;
    }
}
