package io.srvepmd.agent;

import java.util.ArrayList;
import java.util.List;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.ReflectionException;
import javax.management.StandardMBean;

/**
 * JMX MBean {@code io.srvepmd:type=Resolver,name=<provider name>}: how the
 * agent's calls of one resolver went, plus the resolver's own figures when it
 * offers some. A resolver offers figures the JMX way, without any SPI: its
 * object implements a public interface named {@code ...MXBean} (or
 * {@link DynamicMBean}); those attributes join the agent's here.
 */
final class ResolverMBean extends ReadOnlyMBean {

    private static final String[][] COUNTERS = {
        {"Calls", "Calls of this resolver (lookups and listings)"},
        {"Answers", "Calls it answered"},
        {"NotMine", "Calls it answered 'not mine' (the next resolver was asked)"},
        {"NotFound", "Calls it answered 'no such node'"},
        {"Unavailable", "Calls that failed: its source unreachable, a crash, or no answer in time"},
        {"Timeouts", "Calls the agent stopped waiting for at their share of dns.timeout"},
    };

    private final NamedResolver resolver;
    /** The resolver's own MBean, or {@code null}. */
    private final DynamicMBean own;

    ResolverMBean(NamedResolver resolver) {
        this.resolver = resolver;
        this.own = ownMBean(resolver.resolver);
    }

    static String objectName(NamedResolver r) {
        return "io.srvepmd:type=Resolver,name=" + r.name;
    }

    /** @return the resolver as an MBean if it is one, else {@code null} */
    private static DynamicMBean ownMBean(Object r) {
        if (r instanceof DynamicMBean) {
            return (DynamicMBean) r;
        }
        for (Class<?> c = r.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().endsWith("MXBean") || i.getName().endsWith("MBean")) {
                    return mbeanOf(r, i);
                }
            }
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DynamicMBean mbeanOf(Object r, Class i) {
        try {
            return new StandardMBean(r, i, i.getName().endsWith("MXBean"));
        } catch (IllegalArgumentException e) {
            return null; // not a usable MBean interface: the agent's figures stand alone
        }
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException, MBeanException, ReflectionException {
        ResolverStats s = resolver.stats;
        switch (name) {
            case "Calls":
                return s.calls.sum();
            case "Answers":
                return s.answers.sum();
            case "NotMine":
                return s.notMine.sum();
            case "NotFound":
                return s.notFound.sum();
            case "Unavailable":
                return s.unavailable.sum();
            case "Timeouts":
                return s.timeouts.sum();
            case "RunningCalls":
                return ResolverCalls.CALLS_PER_RESOLVER - resolver.permits.availablePermits();
            default:
                if (own == null) {
                    throw new AttributeNotFoundException(name);
                }
                return own.getAttribute(name);
        }
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        for (String[] c : COUNTERS) {
            attributes.add(new MBeanAttributeInfo(c[0], "long", c[1], true, false, false));
        }
        attributes.add(new MBeanAttributeInfo("RunningCalls", "int", "Calls running now, at most "
                + ResolverCalls.CALLS_PER_RESOLVER + " (a gauge)", true, false, false));
        if (own != null) {
            for (MBeanAttributeInfo a : own.getMBeanInfo().getAttributes()) {
                attributes.add(a);
            }
        }
        return new MBeanInfo(ResolverMBean.class.getName(), "Resolver " + resolver.name + " as the srv-epmd agent"
                + " calls it", attributes.toArray(new MBeanAttributeInfo[0]), null, new MBeanOperationInfo[0], null);
    }

    @Override
    public Object invoke(String operation, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(operation));
    }
}
