package io.srvepmd.agent;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;

/**
 * What every one of the agent's MBeans shares: attributes are read-only, and
 * reading several leaves out those that cannot be read, as JMX's contract
 * says. A {@link DynamicMBean}, so the agent publishes no MBean interface of
 * its own for hosts to depend on.
 */
abstract class ReadOnlyMBean implements DynamicMBean {

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String name : names) {
            try {
                list.add(new Attribute(name, getAttribute(name)));
            } catch (JMException e) {
                // left out, as the contract says
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }
}
