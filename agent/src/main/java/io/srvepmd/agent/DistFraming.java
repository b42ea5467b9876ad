package io.srvepmd.agent;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Converts the length prefixes of the distribution handshake between what
 * JInterface speaks and what OTP's {@code inet_tls_dist} speaks inside TLS.
 *
 * <p>Over plain TCP, handshake messages carry a 2-byte length (the
 * distribution protocol's handshake framing), and JInterface reads and writes
 * them so. OTP's TLS distribution opens its TLS connection in 4-byte packet
 * mode from the start, so inside TLS the same messages carry a 4-byte length;
 * unconverted, TLS succeeds and the Erlang node then gives up with
 * {@code setup_timer_timeout}. Once the handshake is over, both sides use
 * 4-byte lengths, as JInterface already does, and bytes pass through.
 *
 * <p>Each direction converts until it has carried a challenge reply
 * ({@code 'r'}, the initiator's last message) or a challenge acknowledgement
 * ({@code 'a'}, the acceptor's last), then passes bytes through. A JInterface
 * peer (the agent with TLS on both ends) sees the same conversion from the
 * other side, so it works between Java nodes too.
 */
final class DistFraming {

    /** What the streams tell the socket they belong to. */
    interface Owner {
        /** Called before each read from the TLS stream while the handshake runs (bounds it, starts TLS). */
        void beforeRead() throws IOException;

        /** Called after each read from the TLS stream while the handshake runs: the count read, -1 at the end. */
        void afterRead(int count);

        /**
         * Called when a read from or a write to the TLS stream failed while the handshake runs; returns
         * what to throw (in TLS 1.3 a peer that refuses our certificate closes after our handshake has
         * finished, and we may learn it on a write as well as on a read).
         */
        IOException ioFailed(IOException e);

        /** Called before each write to the TLS stream while the handshake runs. */
        void beforeWrite() throws IOException;

        /** This direction has carried its last handshake message. */
        void directionDone();
    }

    static final int CHALLENGE_REPLY = 'r';
    static final int CHALLENGE_ACK = 'a';

    private DistFraming() {
    }

    static boolean isLast(int tag) {
        return tag == CHALLENGE_REPLY || tag == CHALLENGE_ACK;
    }

    /** From TLS to JInterface: 4-byte lengths in, 2-byte lengths out, until the last handshake message. */
    static final class Input extends InputStream {
        private final InputStream tls;
        private final Owner owner;
        private byte[] pending = new byte[0];
        private int at;
        private boolean lastPending;
        private volatile boolean passThrough;

        Input(InputStream tls, Owner owner) {
            this.tls = tls;
            this.owner = owner;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (passThrough) {
                return tls.read(b, off, len);
            }
            if (len == 0) {
                return 0;
            }
            if (at == pending.length && !nextMessage()) {
                return -1;
            }
            int n = Math.min(len, pending.length - at);
            System.arraycopy(pending, at, b, off, n);
            at += n;
            if (at == pending.length && lastPending) {
                passThrough = true;
                owner.directionDone();
            }
            return n;
        }

        /** Reads one 4-byte-length message and keeps it with a 2-byte length; false at a clean end. */
        private boolean nextMessage() throws IOException {
            byte[] head = new byte[4];
            if (!readFully(head, true)) {
                return false;
            }
            long length = (head[0] & 0xffL) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff;
            if (length > 0xffff) {
                throw new IOException("srv-epmd: a distribution handshake message inside TLS of " + length
                        + " bytes: the peer does not speak the distribution handshake");
            }
            byte[] message = new byte[2 + (int) length];
            message[0] = (byte) (length >> 8);
            message[1] = (byte) length;
            System.arraycopy(readBody((int) length), 0, message, 2, (int) length);
            pending = message;
            at = 0;
            lastPending = length > 0 && isLast(message[2]);
            return true;
        }

        private byte[] readBody(int length) throws IOException {
            byte[] body = new byte[length];
            readFully(body, false);
            return body;
        }

        private boolean readFully(byte[] into, boolean endAllowed) throws IOException {
            int got = 0;
            while (got < into.length) {
                owner.beforeRead();
                int n;
                try {
                    n = tls.read(into, got, into.length - got);
                } catch (IOException e) {
                    throw owner.ioFailed(e);
                }
                owner.afterRead(n);
                if (n < 0) {
                    if (endAllowed && got == 0) {
                        return false;
                    }
                    throw new EOFException("the peer closed the connection within a handshake message");
                }
                got += n;
            }
            return true;
        }

        @Override
        public int available() throws IOException {
            return passThrough ? tls.available() : pending.length - at;
        }

        @Override
        public void close() throws IOException {
            tls.close();
        }
    }

    /** From JInterface to TLS: 2-byte lengths in, 4-byte lengths out, until the last handshake message. */
    static final class Output extends OutputStream {
        private final OutputStream tls;
        private final Owner owner;
        private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
        private volatile boolean passThrough;

        Output(OutputStream tls, Owner owner) {
            this.tls = tls;
            this.owner = owner;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (passThrough) {
                tls.write(b, off, len);
                return;
            }
            try {
                convert(b, off, len);
            } catch (IOException e) {
                throw owner.ioFailed(e);
            }
        }

        private void convert(byte[] b, int off, int len) throws IOException {
            buffered.write(b, off, len);
            byte[] all = buffered.toByteArray();
            int at = 0;
            while (!passThrough && all.length - at >= 2) {
                int length = (all[at] & 0xff) << 8 | all[at + 1] & 0xff;
                if (all.length - at - 2 < length) {
                    break;
                }
                byte[] message = new byte[4 + length];
                message[2] = all[at];
                message[3] = all[at + 1];
                System.arraycopy(all, at + 2, message, 4, length);
                owner.beforeWrite();
                tls.write(message); // one write, one TLS record
                at += 2 + length;
                if (length > 0 && isLast(message[4])) {
                    passThrough = true;
                    owner.directionDone();
                }
            }
            buffered.reset();
            if (passThrough) {
                if (at < all.length) {
                    tls.write(all, at, all.length - at);
                }
            } else {
                buffered.write(all, at, all.length - at);
            }
        }

        @Override
        public void flush() throws IOException {
            tls.flush();
        }

        @Override
        public void close() throws IOException {
            tls.close();
        }
    }
}
