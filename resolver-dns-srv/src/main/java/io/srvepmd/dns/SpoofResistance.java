package io.srvepmd.dns;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What an attacker off this host must guess to have a forged answer accepted
 * (RFC 5452): the 16-bit query ID and the UDP source port, on top of the
 * server's address and port, which the connected socket checks.
 *
 * <p>A server on a loopback address (a local Consul agent, a node-local
 * cache) cannot be impersonated from the network: the kernel drops packets
 * arriving from outside with a loopback source address. Its questions may use
 * pooled sockets (one source port for many questions) and cheap IDs, which is
 * what makes a question to it cost tens of microseconds. Every other server
 * gets a fresh socket per attempt, hence a new source port that the kernel
 * picks at random from its ephemeral range (as glibc and Go rely on too), and
 * an ID from a {@link SecureRandom}, which is not predictable from earlier IDs
 * as {@link ThreadLocalRandom}'s are.
 */
final class SpoofResistance {

    private SpoofResistance() {
    }

    /** @return whether questions to this server may share sockets and use cheap IDs */
    static boolean isLoopback(InetSocketAddress server) {
        return server.getAddress() != null && server.getAddress().isLoopbackAddress();
    }

    /** @return whether any of the servers is off loopback, so the strong random source is needed */
    static boolean anyOffHost(List<InetSocketAddress> servers) {
        for (InetSocketAddress s : servers) {
            if (!isLoopback(s)) {
                return true;
            }
        }
        return false;
    }

    /** @return a query ID, 0-65535, from the random source {@link #ids} picks */
    static int queryId(boolean loopback) {
        return ids(loopback).nextInt(0x10000);
    }

    /** The random source for the IDs of questions to a loopback (or other) server. */
    static Random ids(boolean loopback) {
        return loopback ? ThreadLocalRandom.current() : Strong.RANDOM;
    }

    /**
     * Creates and seeds the strong random source now. Its first use costs
     * milliseconds (provider classes, seeding), so the warm-up thread calls
     * this when a server off loopback is configured; otherwise it is never made.
     */
    static void prepare() {
        Strong.RANDOM.nextInt();
    }

    /** Holder: the class, and so the generator, is initialised on first use only. */
    private static final class Strong {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
