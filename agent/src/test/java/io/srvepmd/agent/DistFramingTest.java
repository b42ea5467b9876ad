package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The handshake framing conversion: 2-byte lengths on JInterface's side, 4-byte inside TLS, until each
 * direction has carried its last handshake message ('r' or 'a'); then bytes pass through untouched.
 */
class DistFramingTest {

    private static final class Directions implements DistFraming.Owner {
        int done;
        int reads;

        @Override
        public void beforeRead() {
            reads++;
        }

        @Override
        public void afterRead(int count) {
        }

        @Override
        public IOException ioFailed(IOException e) {
            return e;
        }

        @Override
        public void beforeWrite() {
        }

        @Override
        public void directionDone() {
            done++;
        }
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void outgoingHandshakeMessagesGetFourByteLengthsUntilTheChallengeReply() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        Directions owner = new Directions();
        DistFraming.Output out = new DistFraming.Output(wire, owner);
        byte[] jinterface = bytes(0, 3, 'N', 1, 2, /* name */ 0, 2, 's', 'x', /* status */
                0, 2, 'r', 9, /* challenge reply */ 0, 0, 0, 5, 'p', 'a', 's', 's', '!' /* after: untouched */);
        for (byte b : jinterface) {
            out.write(b); // one byte at a time: messages may arrive in pieces
        }
        assertArrayEquals(bytes(0, 0, 0, 3, 'N', 1, 2, 0, 0, 0, 2, 's', 'x', 0, 0, 0, 2, 'r', 9,
                0, 0, 0, 5, 'p', 'a', 's', 's', '!'), wire.toByteArray());
        assertEquals(1, owner.done);
    }

    @Test
    void bytesAfterTheLastMessageInTheSameWritePassThrough() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DistFraming.Output out = new DistFraming.Output(wire, new Directions());
        out.write(bytes(0, 2, 'a', 7, 0, 0, 0, 0));
        assertArrayEquals(bytes(0, 0, 0, 2, 'a', 7, 0, 0, 0, 0), wire.toByteArray());
    }

    @Test
    void incomingHandshakeMessagesGetTwoByteLengthsUntilTheChallengeAck() throws IOException {
        byte[] wire = bytes(0, 0, 0, 3, 's', 'o', 'k', 0, 0, 0, 2, 'a', 1, 0, 0, 0, 1, 'z');
        Directions owner = new Directions();
        InputStream in = new DistFraming.Input(new ByteArrayInputStream(wire), owner);
        assertArrayEquals(bytes(0, 3, 's', 'o', 'k', 0, 2, 'a', 1, 0, 0, 0, 1, 'z'), in.readAllBytes());
        assertEquals(1, owner.done);
    }

    @Test
    void aHugeLengthIsNotAHandshake() {
        InputStream in = new DistFraming.Input(new ByteArrayInputStream(bytes(0, 1, 0, 0, 'x')), new Directions());
        IOException e = assertThrows(IOException.class, () -> in.read());
        assertTrue(e.getMessage().contains("does not speak the distribution handshake"), e.getMessage());
    }

    @Test
    void anEndWithinAMessageIsAnError() {
        InputStream in = new DistFraming.Input(new ByteArrayInputStream(bytes(0, 0, 0, 4, 'n', 1)), new Directions());
        assertThrows(java.io.EOFException.class, () -> in.read(new byte[10]));
    }

    @Test
    void aCleanEndBetweenMessagesIsTheEnd() throws IOException {
        InputStream in = new DistFraming.Input(new ByteArrayInputStream(new byte[0]), new Directions());
        assertEquals(-1, in.read());
    }
}
