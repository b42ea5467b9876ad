package io.srvepmd.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The first two steps of the Erlang distribution handshake, as a hidden node
 * would start it, to learn who listens on a port: send the name, read the
 * status and the challenge, which carries the listener's node name; then stop
 * (close) before any cookie is involved. Erlang/OTP and JInterface nodes take
 * that as an aborted connection attempt and log nothing at their default
 * levels. Used by {@code doctor} only.
 *
 * <p>OTP 25 closes the connection on the version-5 name message ({@code 'n'}),
 * JInterface 1.6.1 on the OTP 23 one ({@code 'N'}); so {@code 'N'} goes first,
 * {@code 'n'} after a silent close.
 *
 * <p>The probe offers every flag OTP 25 through 29 require of a peer, so that
 * none of them refuses it (a refusal is logged on the node:
 * "rejected since it cannot handle [...]").
 */
final class DistHandshake {

    /**
     * What OTP 26-29 require (V4_NC and UNLINK_ID since OTP 26) and what JInterface sends besides, without
     * "published": a hidden node.
     */
    static final long FLAGS = DistFlags.MANDATORY | DistFlags.DIST_MONITOR | DistFlags.DIST_MONITOR_NAME
            | DistFlags.UNICODE_IO | DistFlags.MANDATORY_25_DIGEST;
    private static final int MAX_MESSAGE = 4096;

    /** What the listener said. */
    static final class Answer {
        /** Its node name, or null if it did not say. */
        final String node;
        /** The status it sent ({@code ok}, {@code not_allowed}, ...), or null. */
        final String status;
        /** Why this is not a distribution answer, or null if it is one. */
        final String problem;
        /** The listener closed the connection without sending anything. */
        boolean silent;
        /**
         * It answered in the OTP 23 form ({@code 'N'}): a node of OTP 23 or later, or a JInterface of
         * those releases. OTP 25 and later and JInterface 1.13 and later require {@link DistFlags#MANDATORY_25}
         * of a peer; OTP 26 and later {@link DistFlags#MANDATORY_26} too.
         */
        boolean handshake23;

        private Answer(String node, String status, String problem) {
            this.node = node;
            this.status = status;
            this.problem = problem;
        }

        boolean isDistribution() {
            return problem == null;
        }

        @Override
        public String toString() {
            return node != null ? "node " + node : status != null ? "status '" + status + "'" : problem;
        }
    }

    private DistHandshake() {
    }

    /**
     * Connects to {@code at} and starts a handshake: first in the OTP 23 form ({@code 'N'}, which
     * OTP 25 and JInterface 1.13 require), and if the listener closes without a word, once more in
     * the version-5 form ({@code 'n'}) that older nodes and JInterface 1.6.1 speak.
     *
     * @param ourName the name to introduce ourselves with: same naming mode (long/short) as the listener
     * @throws IOException if the connection cannot be made
     */
    static Answer ask(InetSocketAddress at, String ourName, int timeoutMillis) throws IOException {
        Answer a = ask(at, ourName, timeoutMillis, true);
        return a.silent ? ask(at, ourName, timeoutMillis, false) : a;
    }

    private static Answer ask(InetSocketAddress at, String ourName, int timeoutMillis, boolean v6)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(at, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            return over(socket, ourName, timeoutMillis, v6);
        }
    }

    /**
     * The same questions over a connection already made (a TLS one: the handshake runs inside it), in the
     * OTP 23 form; the caller bounds its reads and closes it.
     */
    static Answer over(Socket socket, String ourName, int timeoutMillis) {
        return over(socket, ourName, timeoutMillis, true);
    }

    private static Answer over(Socket socket, String ourName, int timeoutMillis, boolean v6) {
        try {
            return exchange(socket, ourName, v6);
        } catch (SocketTimeoutException e) {
            return new Answer(null, null, "it accepted the connection but did not answer the Erlang"
                    + " distribution handshake within " + timeoutMillis + " ms");
        } catch (EOFException e) {
            Answer closed = new Answer(null, null, "it closed the connection instead of answering the Erlang"
                    + " distribution handshake");
            closed.silent = true;
            return closed;
        } catch (IOException e) {
            return new Answer(null, null, "the Erlang distribution handshake failed: " + e.getMessage());
        }
    }

    private static Answer exchange(Socket socket, String ourName, boolean v6) throws IOException {
        byte[] name = ourName.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        if (v6) {
            b.writeByte('N');
            b.writeLong(FLAGS);
            b.writeInt(1); // creation: any non-zero value (JInterface refuses 0); we never become a node
            b.writeShort(name.length);
        } else {
            b.writeByte('n');
            b.writeShort(5);
            b.writeInt((int) FLAGS);
        }
        b.write(name);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(body.size());
        body.writeTo(out);
        out.flush();

        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] status = message(in);
        if (status == null || status.length < 1 || status[0] != 's') {
            return new Answer(null, null, "it did not answer the Erlang distribution handshake"
                    + (status == null ? "" : " (" + status.length + " bytes starting 0x"
                    + Integer.toHexString(status.length == 0 ? 0 : status[0] & 0xff) + ")"));
        }
        String s = new String(status, 1, status.length - 1, StandardCharsets.ISO_8859_1);
        if (!s.equals("ok") && !s.equals("ok_simultaneous")) {
            return new Answer(null, s, null);
        }
        byte[] challenge = message(in);
        Answer a = new Answer(challenge == null ? null : nameIn(challenge), s, null);
        a.handshake23 = challenge != null && challenge[0] == 'N';
        return a;
    }

    /** @return one length-prefixed message, or null if the length cannot be one of the handshake's */
    private static byte[] message(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        if (length == 0 || length > MAX_MESSAGE) {
            return null;
        }
        byte[] m = new byte[length];
        in.readFully(m);
        return m;
    }

    /** The node name in a challenge: {@code 'n'} v5 or {@code 'N'} (OTP 23+); null if neither. */
    private static String nameIn(byte[] m) {
        if (m[0] == 'n' && m.length > 11) {
            return new String(m, 11, m.length - 11, StandardCharsets.ISO_8859_1); // tag, version 2, flags 4, challenge 4
        }
        if (m[0] == 'N' && m.length > 19) {
            int length = (m[17] & 0xff) << 8 | m[18] & 0xff; // tag, flags 8, challenge 4, creation 4, length 2
            if (19 + length <= m.length) {
                return new String(m, 19, length, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }
}
