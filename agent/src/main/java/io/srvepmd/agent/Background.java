package io.srvepmd.agent;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * The agent's one background thread, off the host's start-up path: it finds
 * the logger (the logging framework's cold start), then registers the JMX
 * MBeans as soon as the platform MBean server exists, and ends.
 *
 * <p>It never starts the platform MBean server itself: that costs a
 * short-lived JVM tens of milliseconds and loads a few hundred classes. Every
 * JMX client brings it up anyway — {@code jconsole} and {@code jcmd
 * ManagementAgent.start}, {@code -Dcom.sun.management.jmxremote}, a Prometheus
 * JMX exporter agent, the host's own use of JMX — and the MBeans appear soon
 * after: the thread looks every {@value #FIRST_POLL_MILLIS} ms at first, when
 * JMX is most often started, then at intervals that double up to
 * {@value #MAX_POLL_MILLIS} ms, so a JVM nobody monitors is not woken every
 * second for its whole life.
 */
final class Background extends Thread {

    static final long FIRST_POLL_MILLIS = 1000;
    static final long MAX_POLL_MILLIS = 16_000;
    /** Polls at the first interval before the intervals start to double: the first minute. */
    static final int FIRST_POLLS = 60;

    private final Bootstrap boot;

    private Background(Bootstrap boot) {
        super("srv-epmd-background");
        this.boot = boot;
        setDaemon(true);
        setPriority(Thread.MIN_PRIORITY);
        setContextClassLoader(ClassLoader.getSystemClassLoader());
    }

    static void start(Bootstrap boot) {
        new Background(boot).start();
    }

    @Override
    public void run() {
        try {
            AgentLog.logger();
            for (int polls = 1; MBeanServerFactory.findMBeanServer(null).isEmpty(); polls++) {
                Thread.sleep(pollInterval(polls));
            }
            register(boot, ManagementFactory.getPlatformMBeanServer());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            AgentLog.warn("cannot register the JMX MBeans: " + e);
        }
    }

    /** @return how long to wait before the {@code polls}th look for the MBean server (1-based) */
    static long pollInterval(int polls) {
        if (polls <= FIRST_POLLS) {
            return FIRST_POLL_MILLIS;
        }
        int doublings = Math.min(polls - FIRST_POLLS, 30);
        return Math.min(MAX_POLL_MILLIS, FIRST_POLL_MILLIS << doublings);
    }

    /**
     * Registers one {@code io.srvepmd:type=Resolver,name=...} per resolver, then
     * {@code io.srvepmd:type=Agent}: a client that sees the agent's MBean sees them all.
     */
    static void register(Bootstrap boot, MBeanServer server) throws JMException {
        ObjectName agent = new ObjectName(AgentMBean.OBJECT_NAME);
        if (server.isRegistered(agent)) {
            return; // an agent is already registered in this JVM
        }
        for (NamedResolver r : boot.chain.resolvers()) {
            server.registerMBean(new ResolverMBean(r), new ObjectName(ResolverMBean.objectName(r)));
        }
        if (boot.tls != null) {
            server.registerMBean(new TlsMBean(boot.tls), new ObjectName(TlsMBean.OBJECT_NAME));
        }
        server.registerMBean(new AgentMBean(boot), agent);
    }
}
