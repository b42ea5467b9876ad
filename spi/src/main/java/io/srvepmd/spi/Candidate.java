package io.srvepmd.spi;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One place a node may be reached: a host's addresses (in the order to try
 * them) and a port, with the RFC 2782 priority (lower is preferred) and weight
 * (higher is chosen more often among equal priorities) of the record it came
 * from. A DNS SRV record becomes one candidate: its target's addresses and its
 * port.
 */
public final class Candidate {

    private final List<InetAddress> addresses;
    private final int port;
    private final int priority;
    private final int weight;

    private Candidate(List<InetAddress> addresses, int port, int priority, int weight) {
        this.addresses = addresses;
        this.port = port;
        this.priority = priority;
        this.weight = weight;
    }

    /**
     * A candidate with one address, priority 0 and weight 0.
     *
     * @param address a resolved address
     * @param port the distribution port, 1-65535
     * @return the candidate
     */
    public static Candidate of(InetAddress address, int port) {
        return of(List.of(address), port, 0, 0);
    }

    /**
     * @param addresses at least one resolved address, in the order to try them
     * @param port the distribution port, 1-65535
     * @param priority 0-65535, lower is tried first
     * @param weight 0-65535, relative chance among candidates of equal priority
     * @return the candidate
     * @throws IllegalArgumentException if a number is out of range or there is no address
     */
    public static Candidate of(List<InetAddress> addresses, int port, int priority, int weight) {
        List<InetAddress> copy = List.copyOf(addresses);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a candidate needs at least one address (port " + port + ")");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + copy.get(0).getHostAddress()
                    + " is out of range 1-65535");
        }
        if (priority < 0 || priority > 65535 || weight < 0 || weight > 65535) {
            throw new IllegalArgumentException("priority " + priority + " / weight " + weight
                    + " out of range 0-65535");
        }
        return new Candidate(copy, port, priority, weight);
    }

    /** @return the addresses, in the order to try them; never empty */
    public List<InetAddress> addresses() {
        return addresses;
    }

    /** @return the distribution port */
    public int port() {
        return port;
    }

    /** @return the priority, lower first */
    public int priority() {
        return priority;
    }

    /** @return the weight within the priority */
    public int weight() {
        return weight;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Candidate)) {
            return false;
        }
        Candidate c = (Candidate) o;
        return c.addresses.equals(addresses) && c.port == port && c.priority == priority && c.weight == weight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(addresses, port, priority, weight);
    }

    /** @return for example {@code 10.0.0.7:4370} or {@code [::1,127.0.0.1]:4370 prio 10 weight 5} */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (addresses.size() == 1) {
            s.append(literal(addresses.get(0)));
        } else {
            s.append('[');
            for (int i = 0; i < addresses.size(); i++) {
                s.append(i == 0 ? "" : ",").append(addresses.get(i).getHostAddress());
            }
            s.append(']');
        }
        s.append(':').append(port);
        if (priority != 0 || weight != 0) {
            s.append(" prio ").append(priority).append(" weight ").append(weight);
        }
        return s.toString();
    }

    private static String literal(InetAddress a) {
        String h = a.getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }
}
