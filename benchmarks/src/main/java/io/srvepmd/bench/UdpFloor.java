package io.srvepmd.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The floor of an uncached lookup: one plain UDP SRV question and its answer, on a connected socket
 * kept open, to a given server (no DNS codec, no resolver, no thread hand-off). Not thread-safe.
 */
final class UdpFloor implements AutoCloseable {

    private final DatagramSocket udp;
    private final byte[] question;
    private final DatagramPacket reply = new DatagramPacket(new byte[1232], 1232);
    private int id;

    /**
     * @param port the server's port on 127.0.0.1
     * @param name the SRV name asked
     */
    UdpFloor(int port, String name) throws IOException {
        udp = new DatagramSocket();
        udp.connect(new InetSocketAddress(Fixtures.LOOPBACK, port));
        udp.setSoTimeout(2000);
        question = srvQuestion(name);
    }

    /** The wire form of an SRV question for {@code name}, recursion desired, no EDNS; ID 0. */
    static byte[] srvQuestion(String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 33, 0, 1}); // root, type SRV (33), class IN
        return b.toByteArray();
    }

    /** @return the answer's length */
    int exchange() throws IOException {
        id = (id + 1) & 0xffff;
        question[0] = (byte) (id >> 8);
        question[1] = (byte) id;
        udp.send(new DatagramPacket(question, question.length));
        do {
            reply.setLength(1232);
            udp.receive(reply);
        } while (reply.getData()[0] != question[0] || reply.getData()[1] != question[1]);
        return reply.getLength();
    }

    @Override
    public void close() {
        udp.close();
    }
}
