package io.srvepmd.dns;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringTokenizer;

/**
 * Name server addresses: the {@code nameserver} lines of
 * {@code /etc/resolv.conf} (the default of {@code dns.servers}, which itself is
 * read with the SPI's {@code getAddresses}), and their form in messages.
 *
 * <p>Only IP literals count. A server given by name would need a DNS lookup
 * to find the DNS server, done by the JDK's resolver at an unknown cost, before
 * the agent has anything to answer with.
 */
final class Servers {

    static final int DEFAULT_PORT = 53;

    // Literals are checked by hand (start-up discipline, it-tests' StartupDisciplineTest).

    private Servers() {
    }

    /** @return the address of a dotted-quad literal, or {@code null}; never does a lookup */
    static InetAddress v4(String s) {
        byte[] b = new byte[4];
        int at = 0;
        for (int i = 0; i < 4; i++) {
            int start = at;
            int octet = 0;
            while (at < s.length() && at - start < 3 && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                octet = octet * 10 + (s.charAt(at++) - '0');
            }
            boolean separated = i < 3 ? at < s.length() && s.charAt(at) == '.' : at == s.length();
            // 010: octal to the C library's resolv.conf reader, no address to its hosts-file reader
            boolean leadingZero = at - start > 1 && s.charAt(start) == '0';
            if (at == start || octet > 255 || !separated || leadingZero) {
                return null;
            }
            b[i] = (byte) octet;
            at++; // past the '.'
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /**
     * Reads the {@code nameserver} lines of a resolv.conf file. Lines that do
     * not hold an IP literal are skipped, as the C library does.
     *
     * @param file usually {@code /etc/resolv.conf}
     * @return the servers on port 53, possibly empty (also if the file is missing)
     * @throws IOException if the file exists but cannot be read
     */
    static List<InetSocketAddress> fromResolvConf(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        // A plain reader (start-up discipline, it-tests' StartupDisciplineTest).
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(file.toFile()),
                StandardCharsets.ISO_8859_1))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (FileNotFoundException e) {
            if (!file.toFile().exists()) {
                return List.of();
            }
            throw e;
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : lines) {
            StringTokenizer tokens = new StringTokenizer(line);
            String[] words = new String[Math.min(2, tokens.countTokens())];
            for (int i = 0; i < words.length; i++) {
                words[i] = tokens.nextToken();
            }
            if (words.length >= 2 && words[0].equals("nameserver")) {
                InetAddress address = HostsFile.literal(words[1]);
                InetSocketAddress a = address == null ? null : new InetSocketAddress(address, DEFAULT_PORT);
                if (a != null && !out.contains(a)) { // a line without an IP literal: glibc skips it too
                    out.add(a);
                }
            }
        }
        return List.copyOf(out);
    }

    /** @return {@code 127.0.0.1:53} or {@code [::1]:53}, as in messages and sources */
    static String format(InetSocketAddress server) {
        String h = server.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + server.getPort();
    }

    /** @return the servers formatted and separated by {@code ", "} */
    static String format(List<InetSocketAddress> servers) {
        StringBuilder b = new StringBuilder();
        for (InetSocketAddress s : servers) {
            b.append(b.length() == 0 ? "" : ", ").append(format(s));
        }
        return b.toString();
    }
}
