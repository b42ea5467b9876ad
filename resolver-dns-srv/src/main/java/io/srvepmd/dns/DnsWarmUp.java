package io.srvepmd.dns;

import java.net.InetAddress;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Pays dnsjava's one-time costs off the host's critical path: on a cold JVM
 * the first DNS message still costs ~30 ms of class loading and static
 * initialisers (SLF4J's provider lookup, {@code Record}'s {@code DecimalFormat},
 * {@code Type}'s registry: its lambdas are ordinary classes in the agent jar,
 * a build step); done on a daemon thread at agent start-up, that work
 * overlaps with the host's own start-up instead of delaying its first
 * connection (A/B: ~11 ms off a first contact). The thread builds and
 * parses one query and one answer with every record type the resolver reads,
 * creates the strong random source for query IDs if a server off loopback is
 * configured, sends nothing, and ends.
 */
final class DnsWarmUp implements Runnable {

    private static volatile boolean started;

    private final boolean strongIds;

    private DnsWarmUp(boolean strongIds) {
        this.strongIds = strongIds;
    }

    /**
     * @param strongIds whether a server off loopback is configured, so that
     *        {@link SpoofResistance} will need its strong random source
     */
    static void start(boolean strongIds) {
        if (started) {
            return;
        }
        started = true;
        Thread t = new Thread(new DnsWarmUp(strongIds), "srv-epmd-dns-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    @Override
    public void run() {
        try {
            Name name = Name.fromString("warm-up.srv-epmd.invalid.");
            Message answer = new Message(Exchange.wire(Record.newRecord(name, Type.SRV, DClass.IN), 0, true));
            answer.addRecord(new SRVRecord(name, DClass.IN, 0, 0, 0, 1, name), Section.ANSWER);
            answer.addRecord(new ARecord(name, DClass.IN, 0, InetAddress.getLoopbackAddress()), Section.ADDITIONAL);
            answer.addRecord(new AAAARecord(name, DClass.IN, 0, InetAddress.getByAddress(new byte[16])),
                    Section.ADDITIONAL);
            new Message(answer.toWire()).getSection(Section.ANSWER);
            if (strongIds) {
                SpoofResistance.prepare(); // the SecureRandom's first use costs milliseconds
            }
        } catch (Exception | LinkageError e) {
            // Only an optimisation: the first real question pays instead.
        }
    }
}
