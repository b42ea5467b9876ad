package io.srvepmd.it.app;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** What a JMX client of the host sees of the agent: the platform MBean server's io.srvepmd domain. */
final class Jmx {

    private Jmx() {
    }

    static MBeanServer server() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName("io.srvepmd:type=Agent");
        long deadline = System.nanoTime() + 30_000_000_000L; // a hang guard
        while (!server.isRegistered(agent)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent's MBeans never appeared");
            }
            Thread.sleep(20);
        }
        return server;
    }

    static void printAgentMBeans() throws Exception {
        MBeanServer server = server();
        Set<ObjectName> names = new TreeSet<>(server.queryNames(new ObjectName("io.srvepmd:*"), null));
        for (ObjectName name : names) {
            for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                Object value = server.getAttribute(name, a.getName());
                if (value instanceof javax.management.openmbean.TabularData) {
                    value = ((javax.management.openmbean.TabularData) value).values();
                }
                Out.line("JMX " + name + " " + a.getName() + "=" + value);
            }
        }
    }

    static void invalidate(String node) throws Exception {
        server().invoke(new ObjectName("io.srvepmd:type=Agent"), "invalidate", new Object[] {node},
                new String[] {"java.lang.String"});
        Out.line("JMX-INVALIDATED " + node);
    }

    static void printCache() throws Exception {
        String[] lines = (String[]) server().invoke(new ObjectName("io.srvepmd:type=Agent"), "describeCache",
                new Object[0], new String[0]);
        for (String line : lines) {
            Out.line("JMX-CACHE " + line);
        }
    }
}
