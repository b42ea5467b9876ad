package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpNode;
import net.bytebuddy.ByteBuddy;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A host program with its own dnsjava, ByteBuddy and SLF4J, the libraries the
 * agent bundles relocated. Uses all three, then pings an Erlang node through
 * the agent. Prints: HOST-DNS, HOST-BB, HOST-SLF4J and PING lines.
 *
 * <p>Usage: HostLibrariesMain SELF COOKIE PEER
 */
public final class HostLibrariesMain {

    public static void main(String[] args) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString("host.example."), Type.SRV, DClass.IN));
        Message parsed = new Message(query.toWire());
        System.out.println("HOST-DNS " + parsed.getQuestion().getName() + " from "
                + Message.class.getProtectionDomain().getCodeSource().getLocation());

        Class<?> made = new ByteBuddy().subclass(Object.class).name("host.Made").make()
                .load(HostLibrariesMain.class.getClassLoader()).getLoaded();
        System.out.println("HOST-BB " + made.getName() + " from "
                + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation());

        // The host's own SLF4J, with no provider: it warns once on stderr, as it would without the agent.
        org.slf4j.LoggerFactory.getLogger("host");
        System.out.println("HOST-SLF4J " + org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource()
                .getLocation());

        OtpNode node = new OtpNode(args[0], args[1]);
        System.out.println("PING " + args[2] + " " + (node.ping(args[2], 10000) ? "ok" : "failed"));
        node.close();
    }
}
