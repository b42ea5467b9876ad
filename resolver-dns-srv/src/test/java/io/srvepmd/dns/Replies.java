package io.srvepmd.dns;

import java.net.InetAddress;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Builds answers, honest or hostile, for {@link FakeDns}. */
final class Replies {

    /** A TTL that stands for a value dnsjava refuses to build (2^31 and above), patched in the wire form. */
    static final long TTL_MARKER = 0x7ffffff1L;

    private Replies() {
    }

    /** An empty reply to {@code q}: same ID, QR set, the question repeated. */
    static Message to(Message q, int rcode) {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setRcode(rcode);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        return r;
    }

    static Name name(String s) {
        try {
            return Name.fromString(s, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Message srv(Message r, String owner, long ttl, int port, String target) {
        r.addRecord(new SRVRecord(name(owner), DClass.IN, ttl, 0, 0, port, name(target)), Section.ANSWER);
        return r;
    }

    static Message cname(Message r, String owner, long ttl, String target) {
        r.addRecord(new CNAMERecord(name(owner), DClass.IN, ttl, name(target)), Section.ANSWER);
        return r;
    }

    static Message a(Message r, int section, String owner, long ttl, String ip) {
        r.addRecord(new ARecord(name(owner), DClass.IN, ttl, ip(ip)), section);
        return r;
    }

    static InetAddress ip(String v4) {
        return Servers.v4(v4);
    }

    /** The wire form with every TTL of {@link #TTL_MARKER} replaced by {@code ttl} (up to 2^32 - 1). */
    static byte[] patchTtl(byte[] wire, long ttl) {
        byte[] out = wire.clone();
        for (int i = 0; i + 4 <= out.length; i++) {
            if (u32(out, i) == TTL_MARKER) {
                out[i] = (byte) (ttl >>> 24);
                out[i + 1] = (byte) (ttl >>> 16);
                out[i + 2] = (byte) (ttl >>> 8);
                out[i + 3] = (byte) ttl;
            }
        }
        return out;
    }

    private static long u32(byte[] b, int i) {
        return ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xffL) << 16) | ((b[i + 2] & 0xffL) << 8) | (b[i + 3] & 0xffL);
    }
}
