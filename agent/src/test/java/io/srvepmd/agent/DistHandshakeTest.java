package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the doctor's handshake makes of listeners that real nodes are not (the real ones,
 * OTP 25 and JInterface 1.13.1, are in the it-tests): one that closes at once, one that
 * speaks another protocol, one that answers only a status, and the old challenge form.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DistHandshakeTest {

    /** A loopback listener that runs {@code reply} on each connection, recording the first byte of each name. */
    private static final class Listener implements AutoCloseable {
        interface Reply {
            void on(char tag, DataOutputStream out) throws IOException;
        }

        final ServerSocket server;
        final List<Character> tags = new ArrayList<>();
        private final Thread thread;

        Listener(Reply reply) throws IOException {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        DataInputStream in = new DataInputStream(s.getInputStream());
                        byte[] name = new byte[in.readUnsignedShort()];
                        in.readFully(name);
                        synchronized (tags) {
                            tags.add((char) name[0]);
                        }
                        reply.on((char) name[0], new DataOutputStream(s.getOutputStream()));
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join();
        }
    }

    private static void message(DataOutputStream out, byte[] body) throws IOException {
        out.writeShort(body.length);
        out.write(body);
        out.flush();
    }

    @Test
    void aListenerThatClosesSilentlyIsAskedBothWaysAndIsNoNode() throws Exception {
        try (Listener l = new Listener((tag, out) -> { })) {
            DistHandshake.Answer a = DistHandshake.ask(l.address(), "doc@x.test", 5000);
            assertFalse(a.isDistribution());
            assertTrue(a.problem.contains("closed the connection"), a.problem);
            synchronized (l.tags) {
                assertEquals(List.of('N', 'n'), l.tags, "the OTP 23 form first, then the version-5 form");
            }
        }
    }

    @Test
    void anotherProtocolIsNoNode() throws Exception {
        try (Listener l = new Listener((tag, out) -> {
            out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            DistHandshake.Answer a = DistHandshake.ask(l.address(), "doc@x.test", 5000);
            assertFalse(a.isDistribution());
            assertTrue(a.problem.startsWith("it did not answer the Erlang distribution handshake"), a.problem);
        }
    }

    @Test
    void aStatusWithoutChallengeIsADistributionListenerWithoutAName() throws Exception {
        try (Listener l = new Listener((tag, out) -> message(out, "snot_allowed".getBytes(StandardCharsets.US_ASCII)))) {
            DistHandshake.Answer a = DistHandshake.ask(l.address(), "doc@x.test", 5000);
            assertTrue(a.isDistribution());
            assertNull(a.node);
            assertEquals("not_allowed", a.status);
        }
    }

    @Test
    void theVersion5ChallengeNamesTheNodeToo() throws Exception {
        try (Listener l = new Listener((tag, out) -> {
            if (tag == 'N') {
                return; // close silently, as JInterface 1.6.1 does
            }
            message(out, "sok".getBytes(StandardCharsets.US_ASCII));
            byte[] name = "old@x.test".getBytes(StandardCharsets.US_ASCII);
            byte[] challenge = new byte[11 + name.length];
            challenge[0] = 'n';
            System.arraycopy(name, 0, challenge, 11, name.length);
            message(out, challenge);
        })) {
            DistHandshake.Answer a = DistHandshake.ask(l.address(), "doc@x.test", 5000);
            assertEquals("old@x.test", a.node);
        }
    }
}
