package io.srvepmd.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * {@code java -jar srv-epmd-agent.jar status PID}: what the agent in a running
 * JVM does, read through the Attach API and JMX (the agent's MBeans
 * {@code io.srvepmd:type=Agent} and {@code io.srvepmd:type=Resolver,name=*}).
 *
 * <p>The agent never starts the platform MBean server itself; this command
 * starts the target's local JMX agent (as jconsole does: local connections only),
 * which creates it, and waits for the agent to register its MBeans (it polls
 * once a second).
 */
final class StatusCommand {

    /** Hang guard for the MBeans to appear once the MBean server exists (the agent polls every second). */
    static final long MBEAN_WAIT_MILLIS = 15_000;

    private StatusCommand() {
    }

    static int run(String pid, PrintStream out, PrintStream err) {
        try (TargetJvm target = TargetJvm.attach(pid)) {
            Properties p = target.systemProperties();
            String loaded = p.getProperty(AgentAttach.LOADED);
            if (loaded == null) {
                err.println("srv-epmd: pid " + pid + " (" + TargetJvm.describe(p) + ") does not run the srv-epmd"
                        + " agent; load it with: java -jar srv-epmd-agent.jar attach " + pid + " [key=value ...]"
                        + " (or start that JVM with -javaagent:srv-epmd-agent.jar)");
                return Cli.FAILED;
            }
            out.println("pid " + pid + ": srv-epmd agent " + (AgentAttach.AT_START.equals(loaded)
                    ? "loaded at JVM start (-javaagent)" : "attached to the running JVM") + "; "
                    + TargetJvm.describe(p));
            String attachError = p.getProperty(AgentAttach.ERROR);
            if (attachError != null) {
                out.println("last attach failed: " + attachError);
            }
            MBeanServerConnection c = target.jmx();
            ObjectName agent = new ObjectName(AgentMBean.OBJECT_NAME);
            awaitRegistered(c, agent, pid);
            print(c, agent, out);
            return Cli.OK;
        } catch (TargetJvm.Failure e) {
            err.println("srv-epmd: " + e.getMessage());
            return e.status;
        } catch (JMException | IOException e) {
            err.println("srv-epmd: cannot read the agent's MBeans in pid " + pid + ": " + e);
            return Cli.FAILED;
        }
    }

    private static void awaitRegistered(MBeanServerConnection c, ObjectName agent, String pid)
            throws IOException, TargetJvm.Failure {
        long deadline = System.nanoTime() + MBEAN_WAIT_MILLIS * 1_000_000;
        while (!c.isRegistered(agent)) {
            if (System.nanoTime() > deadline) {
                throw new TargetJvm.Failure(Cli.FAILED, "pid " + pid + " runs the agent, but its MBean "
                        + agent + " did not appear within " + MBEAN_WAIT_MILLIS / 1000 + " s of starting the JMX"
                        + " agent there; look for a warning 'cannot register the JMX MBeans' in its log");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetJvm.Failure(Cli.FAILED, "interrupted");
            }
        }
    }

    private static void print(MBeanServerConnection c, ObjectName agent, PrintStream out)
            throws JMException, IOException {
        out.println("settings in effect (every other setting at its default):");
        for (String line : (String[]) c.invoke(agent, "describeSettings", new Object[0], new String[0])) {
            out.println("  " + line);
        }
        out.println("resolvers:");
        Set<ObjectName> resolvers = new TreeSet<>(c.queryNames(new ObjectName("io.srvepmd:type=Resolver,*"), null));
        List<String> order = List.of(String.valueOf(c.getAttribute(agent, "Resolvers")).split(", "));
        for (String name : order) {
            ObjectName r = new ObjectName("io.srvepmd:type=Resolver,name=" + name);
            out.println("  " + name + ": " + (resolvers.contains(r) ? attributes(c, r) : "(no MBean)"));
        }
        tls(c, out);
        out.println("counters: " + attributes(c, agent, "CachedNodes", "Resolvers"));
        String[] cache = (String[]) c.invoke(agent, "describeCache", new Object[0], new String[0]);
        out.println("cached nodes: " + cache.length);
        for (String line : cache) {
            out.println("  " + line);
        }
    }

    /** Whether distribution is TLS, and this node's certificate: subject, issuer, expiry. */
    private static void tls(MBeanServerConnection c, PrintStream out) throws JMException, IOException {
        ObjectName tls = new ObjectName("io.srvepmd:type=Tls");
        if (!c.isRegistered(tls)) {
            out.println("tls: off (distribution over plain TCP; tls.enabled=true turns mutual TLS on)");
            return;
        }
        double days = (Double) c.getAttribute(tls, "CertificateExpiryDays");
        out.println("tls: on, versions " + c.getAttribute(tls, "Versions") + "; certificate '"
                + c.getAttribute(tls, "CertificateSubject") + "' issued by '" + c.getAttribute(tls, "CertificateIssuer")
                + "', expires " + c.getAttribute(tls, "CertificateNotAfter") + String.format(java.util.Locale.ROOT,
                " (in %.1f days)", days));
        out.println("tls counters: " + attributes(c, tls, "CertificateExpiryDays", "CertificateSubject",
                "CertificateIssuer", "CertificateNotAfter", "Versions"));
    }

    /** @return {@code Name=value} for every attribute but {@code except}, in the MBean's order */
    private static String attributes(MBeanServerConnection c, ObjectName name, String... except)
            throws JMException, IOException {
        List<String> parts = new ArrayList<>();
        for (MBeanAttributeInfo a : c.getMBeanInfo(name).getAttributes()) {
            if (List.of(except).contains(a.getName())) {
                continue;
            }
            Object value;
            try {
                value = c.getAttribute(name, a.getName());
            } catch (JMException e) {
                value = "?";
            }
            parts.add(a.getName() + "=" + text(value));
        }
        return String.join(" ", parts);
    }

    /** An MXBean map arrives as TabularData of (key, value) rows: shown as {@code {k=v, ...}}. */
    private static String text(Object value) {
        if (!(value instanceof TabularData)) {
            return String.valueOf(value);
        }
        Map<String, String> rows = new java.util.TreeMap<>();
        for (Object row : ((TabularData) value).values()) {
            CompositeData d = (CompositeData) row;
            rows.put(String.valueOf(d.get("key")), String.valueOf(d.get("value")));
        }
        return rows.toString();
    }
}
