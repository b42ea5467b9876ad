package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpNode;

/**
 * Prints which class loader holds the agent's hook entry point ("LOADER boot"
 * for the bootstrap loader), then pings a node through the agent.
 *
 * <p>Usage: LoaderMain SELF COOKIE PEER
 */
public final class LoaderMain {

    public static void main(String[] args) throws Exception {
        ClassLoader loader = Class.forName("io.srvepmd.agent.Hooks").getClassLoader();
        System.out.println("LOADER " + (loader == null ? "boot" : loader.getName()));
        OtpNode node = new OtpNode(args[0], args[1]);
        System.out.println("PING " + args[2] + " " + (node.ping(args[2], 10000) ? "ok" : "failed"));
        node.close();
    }
}
