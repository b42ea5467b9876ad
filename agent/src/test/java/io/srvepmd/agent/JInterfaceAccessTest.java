package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.AbstractNode;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The reflective access on real JInterface 1.6.1 objects (and 1.13.1 when Debian's jar is there). */
class JInterfaceAccessTest {

    private final JInterfaceAccess access = new JInterfaceAccess();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static int intField(Object node, String name) throws ReflectiveOperationException {
        Field f = AbstractNode.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.getInt(node);
    }

    /** An OtpSelf listening on an ephemeral port (stock 1.6.1, not published), closed after the test. */
    private OtpSelf self(String name) throws Exception {
        OtpSelf self = new OtpSelf(name, "cookie");
        Field sock = OtpSelf.class.getDeclaredField("sock");
        sock.setAccessible(true);
        Object transport = sock.get(self);
        toClose.add(() -> transport.getClass().getMethod("close").invoke(transport));
        return self;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void nameAndAlive() throws Exception {
        OtpPeer peer = new OtpPeer("node-0@svc.service.consul");
        assertEquals("node-0@svc.service.consul", access.node(peer));
        assertEquals("node-0", access.alive(peer));
        OtpSelf self = self("java-a@svc.test");
        assertEquals("java-a@svc.test", access.node(self));
        assertEquals("java-a", access.alive(self));
        assertEquals(self.port(), access.localPort(self));
        assertTrue(access.localPort(self) > 0);
    }

    @Test
    void setPeerVersionsLeavesEpmdsAnswerFields() throws Exception {
        OtpPeer peer = new OtpPeer("node-0@h");
        access.setPeerVersions(peer);
        assertEquals(JInterfaceAccess.NTYPE_R6, intField(peer, "ntype"));
        assertEquals(110, intField(peer, "ntype"));
        assertEquals(0, intField(peer, "proto"));
        assertEquals(6, intField(peer, "distHigh"));
        assertEquals(5, intField(peer, "distLow"));
    }

    @Test
    void creationOn161IsTheSmallPackagePrivateField() throws Exception {
        OtpSelf self = self("java-b@h");
        assertFalse(access.bigCreation(self));
        for (int c = 1; c <= 3; c++) {
            access.setCreation(self, c);
            assertEquals(c, intField(self, "creation"));
        }
    }

    @Test
    void assignCreationOn161NeverRepeatsThePreviousOne() throws Exception {
        OtpSelf self = self("java-c@h");
        JInterfaceNodes nodes = new JInterfaceNodes(new Telemetry(), Duration.ofSeconds(2), Duration.ofSeconds(10), 8, null);
        int previous = -1;
        for (int i = 0; i < 50; i++) {
            nodes.assignCreation(self, "java-c@h");
            int c = intField(self, "creation");
            assertTrue(c >= 1 && c <= 3, "creation " + c);
            assertNotEquals(previous, c);
            previous = c;
        }
    }

    @Test
    void notAJInterfaceNodeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> access.node("not a node"));
    }

    @Test
    void creationOn1131IsBig() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(JInterfaceJars.DEBIAN_1_13_1),
                JInterfaceJars.DEBIAN_1_13_1 + " is absent (Debian's erlang-jinterface)");
        // 1.13.1 classes in their own loader, as a fat-jar launcher's: the bridge is written into that one
        {
            ClassLoader loader = new JInterfaceJars.RewritingLoader(JInterfaceJars.DEBIAN_1_13_1,
                    JInterfaceAccessTest.class.getClassLoader());
            Class<?> peerClass = loader.loadClass("com.ericsson.otp.erlang.OtpPeer");
            Object peer = peerClass.getConstructor(String.class).newInstance("node-0@h");
            assertTrue(access.bigCreation(peer));
            access.setCreation(peer, Integer.MAX_VALUE - 1);
            Class<?> abstractNode = loader.loadClass("com.ericsson.otp.erlang.AbstractNode");
            Field creation = abstractNode.getDeclaredField("creation");
            creation.setAccessible(true);
            assertEquals(Integer.MAX_VALUE - 1, creation.getInt(peer));
            assertEquals("node-0", access.alive(peer));
            access.setPeerVersions(peer);
            Field distHigh = abstractNode.getDeclaredField("distHigh");
            distHigh.setAccessible(true);
            assertEquals(6, distHigh.getInt(peer));
        }
    }

    /**
     * Threads racing to a JInterface copy's first use all get its one bridge: the race once made
     * each of them define another bridge class, and past ten the lookups failed (200 threads of the
     * coalescing benchmark).
     */
    @Test
    void threadsRacingToTheFirstUseShareOneBridge() throws Exception {
        ClassLoader loader = new JInterfaceJars.RewritingLoader(JInterfaceJars.classPathJar(),
                JInterfaceAccessTest.class.getClassLoader()); // a copy no test used yet
        Object peer = loader.loadClass("com.ericsson.otp.erlang.OtpPeer").getConstructor(String.class)
                .newInstance("node-0@svc.service.consul");
        int threads = 32;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> names = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                names.add(pool.submit(() -> {
                    go.await();
                    return access.node(peer);
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<String> name : names) {
                assertEquals("node-0@svc.service.consul", name.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        Class<?> abstractNode = loader.loadClass("com.ericsson.otp.erlang.AbstractNode");
        assertTrue(JInterfaceAccess.bridgeFor(abstractNode) == JInterfaceAccess.bridgeFor(abstractNode));
        assertEquals("com.ericsson.otp.erlang.SrvEpmdBridge", JInterfaceAccess.bridgeFor(abstractNode).getClass().getName());
    }

    @Test
    void connectorFailsOverToTheNextEndpoint() throws Exception {
        int closed = closedPort();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(30_000); // a hang guard
            Connector connector = new Connector(access, new Telemetry(), Clock.SYSTEM, 5000, 10_000, 8);
            Object transport = connector.connect(new OtpPeer("node-0@nowhere.invalid"),
                    new ConnectAttempts(NodeName.parse("node-0@nowhere.invalid"),
                            List.of(new InetSocketAddress("127.0.0.1", closed),
                                    new InetSocketAddress("127.0.0.1", server.getLocalPort())), System.nanoTime()));
            toClose.add(() -> transport.getClass().getMethod("close").invoke(transport));
            assertEquals("com.ericsson.otp.erlang.OtpSocketTransport", transport.getClass().getName());
            try (Socket accepted = server.accept()) {
                assertTrue(accepted.isConnected());
            }
        }
    }

    @Test
    void connectorNamesEveryEndpointWhenAllFail() throws Exception {
        int first = closedPort();
        int second = closedPort();
        Connector connector = new Connector(access, new Telemetry(), Clock.SYSTEM, 5000, 10_000, 8);
        IOException e = assertThrows(IOException.class, () -> connector.connect(new OtpPeer("node-0@h"),
                new ConnectAttempts(NodeName.parse("node-0@h"), List.of(new InetSocketAddress("127.0.0.1", first),
                        new InetSocketAddress("127.0.0.1", second)), System.nanoTime())));
        assertTrue(e.getMessage().contains("node-0@h"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + first + " ("), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + second + " ("), e.getMessage());
    }

    @Test
    void connectorWritesIpv6Literals() throws Exception {
        assertEquals("[0:0:0:0:0:0:0:1]:4370",
                Connector.literal(new InetSocketAddress(InetAddress.getByName("::1"), 4370)));
        assertEquals("10.0.0.1:4370", Connector.literal(new InetSocketAddress("10.0.0.1", 4370)));
    }

    @Test
    void listenThroughTheNodesFactory() throws Exception {
        OtpSelf self = self("java-d@h");
        Object server = access.listen(self, 0);
        toClose.add(() -> server.getClass().getMethod("close").invoke(server));
        int port = (Integer) server.getClass().getMethod("getLocalPort").invoke(server);
        assertTrue(port > 0);
    }

    @Test
    void creationsNeverRepeatThePreviousValue() {
        Creations creations = new Creations(new Random(1));
        int previous = 0;
        for (int i = 0; i < 1000; i++) {
            int c = creations.next("a@h", false);
            assertTrue(c >= 1 && c <= 3, "small creation " + c);
            assertNotEquals(previous, c);
            previous = c;
        }
        int big = 0;
        for (int i = 0; i < 1000; i++) {
            int c = creations.next("b@h", true);
            assertTrue(c >= 4, "big creation " + c);
            assertNotEquals(big, c);
            big = c;
        }
    }

    @Test
    void creationsRememberEachNodeSeparately() {
        // a Random that always says the same: the node's previous value must still be avoided
        Random stuck = new Random() {
            private int calls;

            @Override
            public int nextInt(int bound) {
                return calls++ < 2 ? 0 : 1;
            }
        };
        Creations creations = new Creations(stuck);
        assertEquals(1, creations.next("a@h", false));
        assertEquals(2, creations.next("a@h", false)); // 0 -> 1 is the previous, so it draws again: 1 -> 2
        assertEquals(2, creations.next("b@h", false)); // another node has no previous value
    }
}
