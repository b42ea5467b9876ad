package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.AbstractNode;
import com.ericsson.otp.erlang.OtpPeer;
import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hooks' guard and what each hook does, on real JInterface 1.6.1 objects. */
class HooksAndCoreTest {

    /** A resolver the test points at a port; counts calls. */
    static final class Fake implements EpmdResolver {
        final AtomicInteger calls = new AtomicInteger();
        volatile Resolution answer;
        volatile RuntimeException runtime;
        volatile Error error;

        @Override
        public Optional<Resolution> resolve(NodeName node) {
            calls.incrementAndGet();
            if (error != null) {
                throw error;
            }
            if (runtime != null) {
                throw runtime;
            }
            return Optional.ofNullable(answer);
        }

        @Override
        public Optional<List<NodeEntry>> list() {
            return Optional.of(List.of(NodeEntry.of(NodeName.parse("node-0@svc"), 4370),
                    NodeEntry.of(NodeName.parse("node-1@svc"), 4371)));
        }
    }

    private final Fake fake = new Fake();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private LocalNodes localNodes;

    @AfterEach
    void reset() throws Exception {
        Hooks.install(null);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private AgentCore core(String agentArgs, Map<String, String> env) throws Exception {
        Settings settings = Settings.load(agentArgs, new Properties(), Map.of(), CoreSettings.KEYS);
        Bootstrap boot = new Bootstrap(settings, CoreSettings.from(settings), List.of(new NamedResolver("fake", fake)));
        toClose.add(boot::close);
        localNodes = boot.localNodes;
        return boot.agentCore(env::get);
    }

    private static Resolution at(int port) {
        return Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), port)), Duration.ofMinutes(1),
                "fake");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private ServerSocket server() throws IOException {
        ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        s.setSoTimeout(30_000); // a hang guard
        toClose.add(s);
        return s;
    }

    private static int intField(Object node, String name) throws ReflectiveOperationException {
        Field f = AbstractNode.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.getInt(node);
    }

    private void closeLater(Object transport) {
        toClose.add(() -> transport.getClass().getMethod("close").invoke(transport));
    }

    // ---- Hooks without a core, and with failures inside ----

    @Test
    void withoutACoreEveryHookThrowsIOException() {
        Hooks.install(null);
        OtpPeer peer = new OtpPeer("a@h");
        for (org.junit.jupiter.api.function.Executable hook : List.<org.junit.jupiter.api.function.Executable>of(
                () -> Hooks.publishPort(peer), () -> Hooks.lookupPort(peer), Hooks::lookupNames,
                () -> Hooks.createTransport(peer, "h", 1), () -> Hooks.createServerTransport(peer, 0))) {
            IOException e = assertThrows(IOException.class, hook);
            assertTrue(e.getMessage().contains("did not finish starting"), e.getMessage());
        }
        assertDoesNotThrow(() -> Hooks.unPublishPort(peer));
    }

    @Test
    void anErrorInsideBecomesIOException() throws Exception {
        Hooks.install(core(null, Map.of()));
        fake.error = new AssertionError("a plug-in threw an Error");
        IOException e = assertThrows(IOException.class, () -> Hooks.lookupPort(new OtpPeer("node-0@svc")));
        assertTrue(e.getMessage().contains("with resolver fake: failed: java.lang.AssertionError: a plug-in threw"
                + " an Error"), e.getMessage());
    }

    @Test
    void aRuntimeExceptionInsideBecomesIOException() throws Exception {
        Hooks.install(core(null, Map.of()));
        assertThrows(IOException.class, () -> Hooks.publishPort("not a node"));
        assertThrows(IOException.class, () -> Hooks.createServerTransport(null, 0));
        assertThrows(IOException.class, () -> Hooks.createTransport(42, "h", 1));
        assertDoesNotThrow(() -> Hooks.unPublishPort("not a node"));
        fake.runtime = new IllegalStateException("bug");
        IOException e = assertThrows(IOException.class, () -> Hooks.lookupPort(new OtpPeer("node-0@svc")));
        assertTrue(e.getMessage().contains("node-0@svc"), e.getMessage());
    }

    @Test
    void lookupNamesGivesEpmdLines() throws Exception {
        Hooks.install(core(null, Map.of()));
        assertArrayEquals(new String[] {"name node-0 at port 4370", "name node-1 at port 4371"},
                Hooks.lookupNames());
    }

    // ---- AgentCore ----

    @Test
    void lookupPortAndConnectGoToTheResolvedAddressNotTheHost() throws Exception {
        AgentCore core = core(null, Map.of());
        ServerSocket server = server();
        fake.answer = at(server.getLocalPort());
        OtpPeer peer = new OtpPeer("node-0@nowhere.invalid");
        assertEquals(server.getLocalPort(), core.lookupPortToConnect(peer));
        assertEquals(5, intField(peer, "distLow"));
        assertEquals(6, intField(peer, "distHigh"));
        assertEquals(110, intField(peer, "ntype"));
        Object transport = core.connect(peer, "nowhere.invalid", server.getLocalPort());
        closeLater(transport);
        try (Socket accepted = server.accept()) {
            assertTrue(accepted.isConnected());
        }
    }

    @Test
    void failedConnectDropsTheCachedAnswer() throws Exception {
        AgentCore core = core(null, Map.of());
        int closed = closedPort();
        fake.answer = at(closed);
        OtpPeer peer = new OtpPeer("node-0@svc");
        core.lookupPortToConnect(peer);
        IOException e = assertThrows(IOException.class, () -> core.connect(peer, "svc", closed));
        assertTrue(e.getMessage().contains("node-0@svc"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + closed), e.getMessage());
        ServerSocket server = server();
        fake.answer = at(server.getLocalPort());
        assertEquals(server.getLocalPort(), core.lookupPort(peer), "asked again after the failed connect");
        assertEquals(2, fake.calls.get());
    }

    @Test
    void connectWithoutOurLookupBehavesAsStock() throws Exception {
        AgentCore core = core(null, Map.of());
        ServerSocket server = server();
        Object transport = core.connect(new OtpPeer("x@h"), "127.0.0.1", server.getLocalPort());
        closeLater(transport);
        try (Socket accepted = server.accept()) {
            assertTrue(accepted.isConnected());
        }
        assertEquals(0, fake.calls.get());
    }

    @Test
    void malformedNodeNameIsAClearIOException() throws Exception {
        AgentCore core = core(null, Map.of());
        IOException e = assertThrows(IOException.class, () -> core.lookupPort(new OtpPeer("a@b@c")));
        assertTrue(e.getMessage().contains("malformed Erlang node name 'a@b@c'"), e.getMessage());
        assertEquals(0, fake.calls.get());
    }

    @Test
    void publishRemembersTheNodeAndGivesItACreation() throws Exception {
        AgentCore core = core(null, Map.of());
        com.ericsson.otp.erlang.OtpSelf self = new com.ericsson.otp.erlang.OtpSelf("java-a@svc", "cookie");
        Field sock = com.ericsson.otp.erlang.OtpSelf.class.getDeclaredField("sock");
        sock.setAccessible(true);
        closeLater(sock.get(self));
        assertTrue(core.publish(self));
        int creation = intField(self, "creation");
        assertTrue(creation >= 1 && creation <= 3, "creation " + creation);
        OtpPeer me = new OtpPeer("java-a@svc");
        assertEquals(self.port(), core.lookupPort(me));
        assertEquals(self.port(), core.lookupPort(new OtpPeer("rpc-java-a-9@svc")));
        assertEquals(0, fake.calls.get());
        core.unpublish(self);
        fake.answer = at(4999);
        assertEquals(4999, core.lookupPort(me));
    }

    @Test
    void listenOnTheDistPortAndNameItWhenTaken() throws Exception {
        ServerSocket taken = server();
        AgentCore core = core(null, Map.of("ERL_DIST_PORT", String.valueOf(taken.getLocalPort())));
        com.ericsson.otp.erlang.OtpSelf self = new com.ericsson.otp.erlang.OtpSelf("java-b@svc", "cookie");
        Field sock = com.ericsson.otp.erlang.OtpSelf.class.getDeclaredField("sock");
        sock.setAccessible(true);
        closeLater(sock.get(self));
        IOException e = assertThrows(IOException.class, () -> core.listen(self, 0));
        assertTrue(e.getMessage().contains("java-b@svc"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
        assertTrue(e.getMessage().contains("ERL_DIST_PORT"), e.getMessage());
        taken.close();
        Object server = core.listen(self, 0);
        closeLater(server);
        assertEquals(taken.getLocalPort(), server.getClass().getMethod("getLocalPort").invoke(server));
    }

    // ---- the rewritten 1.6.1 classes, run ----

    /**
     * Stock {@code OtpSelf.publishPort()} (1.6.1 and 1.13.1) ignores {@code OtpEpmd.publishPort}'s
     * result and returns {@code getEpmd() != null}: the agent must leave a stand-in epmd transport.
     */
    @Test
    void otpSelfPublishPortReturnsTrue() throws Exception {
        Hooks.install(core(null, Map.of("ERL_DIST_PORT", String.valueOf(closedPort()))));
        ClassLoader loader = new JInterfaceJars.RewritingLoader(JInterfaceJars.classPathJar(),
                HooksAndCoreTest.class.getClassLoader());
        Object a = construct(loader, "OtpSelf", "java-p@svc.invalid", "cookie");
        assertEquals(true, call(a, "publishPort"));
    }

    private static Object construct(ClassLoader loader, String cls, Object... args) throws Exception {
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = args[i] instanceof Integer ? int.class : args[i].getClass();
        }
        try {
            return loader.loadClass("com.ericsson.otp.erlang." + cls).getConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    private static Object call(Object target, String method, Object... args) throws Exception {
        for (java.lang.reflect.Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    @Test
    void rewritten161NodesListenPublishAndConnectThroughTheHooks() throws Exception {
        int distPort = closedPort();
        Hooks.install(core(null, Map.of("ERL_DIST_PORT", String.valueOf(distPort))));
        ClassLoader loader = new JInterfaceJars.RewritingLoader(JInterfaceJars.classPathJar(),
                HooksAndCoreTest.class.getClassLoader());

        Object a = construct(loader, "OtpSelf", "java-a@svc.invalid", "cookie");
        assertEquals(distPort, call(a, "port"), "no explicit port: ERL_DIST_PORT");
        Class<?> epmd = loader.loadClass("com.ericsson.otp.erlang.OtpEpmd");
        Class<?> localNode = loader.loadClass("com.ericsson.otp.erlang.OtpLocalNode");
        assertEquals(true, epmd.getMethod("publishPort", localNode).invoke(null, a), "published without epmd");
        assertTrue((Integer) call(a, "port") > 0);

        Object helper = construct(loader, "OtpSelf", "rpc-java-a-1@svc.invalid", "cookie");
        int helperPort = (Integer) call(helper, "port");
        assertNotEquals(distPort, helperPort, "a helper listens on an ephemeral port");

        CompletableFuture<Object> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return call(a, "accept");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Object peer = construct(loader, "OtpPeer", "java-a@svc.invalid");
        Object connection = call(helper, "connect", peer);
        Object incoming = accepted.get(30, TimeUnit.SECONDS);
        assertEquals("java-a@svc.invalid", call(call(connection, "peer"), "node"));
        assertEquals("rpc-java-a-1@svc.invalid", call(call(incoming, "peer"), "node"));
        assertEquals(0, fake.calls.get(), "a local node is found without any resolver");

        Object names = loader.loadClass("com.ericsson.otp.erlang.OtpEpmd").getMethod("lookupNames").invoke(null);
        assertArrayEquals(new String[] {"name node-0 at port 4370", "name node-1 at port 4371"}, (String[]) names);

        call(connection, "close");
        call(incoming, "close");
        call(a, "unPublishPort");
    }
}
