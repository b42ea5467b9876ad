package io.srvepmd.agent;

import java.io.ByteArrayOutputStream;

/**
 * Just enough DER (ITU-T X.690) to turn the private-key formats the JDK cannot
 * read (PKCS#1 RSA, SEC1 EC) into the PKCS#8 it can, and to learn a PKCS#8
 * key's algorithm: read one element, write one element.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]}, constructed: SEC1's optional curve parameters. */
    static final int CONTEXT_0 = 0xa0;

    /** One element: its tag, and where its contents and the whole of it lie in {@link #source}. */
    static final class Element {
        final byte[] source;
        final int tag;
        final int start;
        final int contentStart;
        final int end;

        private Element(byte[] source, int tag, int start, int contentStart, int end) {
            this.source = source;
            this.tag = tag;
            this.start = start;
            this.contentStart = contentStart;
            this.end = end;
        }

        /** The first element inside this one. */
        Element first() throws DerException {
            return read(source, contentStart, end);
        }

        /** The element after this one, within {@code limit}; null at the limit. */
        Element next(int limit) throws DerException {
            return end >= limit ? null : read(source, end, limit);
        }

        /** The whole element, tag and length included. */
        byte[] encoded() {
            return java.util.Arrays.copyOfRange(source, start, end);
        }
    }

    /** Bytes that are not the DER expected; the message says what was found. */
    static final class DerException extends Exception {
        private static final long serialVersionUID = 1L;

        DerException(String message) {
            super(message);
        }
    }

    private Der() {
    }

    /** The element starting at {@code offset}, which must end by {@code limit}. */
    static Element read(byte[] b, int offset, int limit) throws DerException {
        if (offset + 2 > limit) {
            throw new DerException("truncated DER at byte " + offset);
        }
        int tag = b[offset] & 0xff;
        int first = b[offset + 1] & 0xff;
        int pos = offset + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 4 || pos + count > limit) {
                throw new DerException("bad DER length at byte " + offset);
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = length << 8 | (b[pos++] & 0xff);
            }
        }
        if (pos + length > limit) {
            throw new DerException("DER element at byte " + offset + " runs past the end");
        }
        return new Element(b, tag, offset, pos, (int) (pos + length));
    }

    /** Reads the element at the start of {@code b}, checking its tag. */
    static Element expect(byte[] b, int tag, String what) throws DerException {
        Element e = read(b, 0, b.length);
        return check(e, tag, what);
    }

    static Element check(Element e, int tag, String what) throws DerException {
        if (e == null || e.tag != tag) {
            throw new DerException("not " + what + (e == null ? " (missing)" : " (tag 0x"
                    + Integer.toHexString(e == null ? 0 : e.tag) + ")"));
        }
        return e;
    }

    /** An element with {@code tag} whose contents are the concatenation of {@code parts}. */
    static byte[] element(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.write(p, 0, p.length);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i) & 0xff);
            }
        }
        byte[] c = content.toByteArray();
        out.write(c, 0, c.length);
        return out.toByteArray();
    }

    /** The dotted form of an OBJECT IDENTIFIER element, e.g. {@code 1.2.840.10045.2.1}. */
    static String oid(Element e) throws DerException {
        check(e, OID, "an object identifier");
        StringBuilder s = new StringBuilder();
        long value = 0;
        for (int i = e.contentStart; i < e.end; i++) {
            value = value << 7 | (e.source[i] & 0x7f);
            if ((e.source[i] & 0x80) == 0) {
                if (s.length() == 0) {
                    int first = value < 40 ? 0 : value < 80 ? 1 : 2;
                    s.append(first).append('.').append(value - 40L * first);
                } else {
                    s.append('.').append(value);
                }
                value = 0;
            }
        }
        return s.toString();
    }
}
