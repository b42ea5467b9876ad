package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * The machine's files dns-srv reads: {@code /etc/resolv.conf} (the default
 * servers) and the hosts file. The input is the file's bytes; for the hosts
 * file, what follows the first NUL is the name looked up (without one, every
 * word of the file is looked up).
 *
 * <p>Property, against a model of the C library's reading written apart from
 * the code (a line's words split at blanks; an IP literal is a dotted quad of
 * numbers up to 255, or what the JDK reads as a bracketed IPv6 literal): the
 * servers are exactly the distinct literals of the {@code nameserver} lines, in
 * file order, on port 53, and {@code dns.servers} falls back to them (or to
 * 127.0.0.1:53 when there are none); a host's addresses are exactly those of
 * the lines, comments cut at {@code #}, that start with a literal and list the
 * name (case-insensitively), in file order. Never an exception but the
 * documented {@link IOException}; bounded by {@link Timeout}.
 *
 * <p>Regression inputs: {@code src/test/resources/io/srvepmd/dns/SystemFilesFuzzTestInputs/}.
 * Fuzz with {@code bash scripts/fuzz.sh SystemFilesFuzzTest 5m}.
 */
class SystemFilesFuzzTest {

    private static final Pattern V4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Pattern BLANKS = Pattern.compile("[ \t\n\r\f]+");

    private static Path dir;

    /**
     * In memory where the machine has a tmpfs: rewriting one file on a disk file system costs ~1-2 ms
     * here (ext4 flushes a file truncated and written again), a hundred times the rest of an input.
     */
    @BeforeAll
    static void scratch() throws IOException {
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "system-files-fuzz")
                : Files.createTempDirectory("system-files-fuzz");
        // Also at exit, files before their directory: a fuzzing run may end the JVM without @AfterAll.
        dir.toFile().deleteOnExit();
        dir.resolve("resolv.conf").toFile().deleteOnExit();
        dir.resolve("hosts").toFile().deleteOnExit();
    }

    @AfterAll
    static void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @FuzzTest
    @Timeout(10) // a hang, not a speed check: one input takes microseconds
    void resolvConf(byte[] input) throws IOException {
        Path file = Files.write(dir.resolve("resolv.conf"), input);
        List<InetSocketAddress> expected = new ArrayList<>();
        for (String line : lines(input)) {
            List<String> words = words(line);
            InetAddress a = words.size() >= 2 && words.get(0).equals("nameserver") ? literal(words.get(1)) : null;
            if (a != null && !expected.contains(new InetSocketAddress(a, 53))) {
                expected.add(new InetSocketAddress(a, 53));
            }
        }
        assertEquals(expected, Servers.fromResolvConf(file));
        assertEquals(expected.isEmpty() ? List.of(new InetSocketAddress(literal("127.0.0.1"), 53)) : expected,
                DnsSettings.parse(TestConfig.of(), file).servers, "dns.servers' default");
    }

    @FuzzTest
    @Timeout(10)
    void hostsFile(byte[] input) throws IOException {
        int nul = indexOf(input, (byte) 0);
        byte[] content = nul < 0 ? input : java.util.Arrays.copyOf(input, nul);
        Path file = Files.write(dir.resolve("hosts"), content);
        HostsFile hosts = new HostsFile(file.toFile());
        List<String> names = new ArrayList<>();
        if (nul >= 0) {
            names.add(new String(input, nul + 1, input.length - nul - 1, StandardCharsets.ISO_8859_1));
        } else {
            for (String line : lines(content)) {
                names.addAll(words(line));
            }
        }
        for (String name : names.subList(0, Math.min(names.size(), 32))) {
            assertEquals(addresses(content, name), hosts.lookup(name), "addresses of '" + name + "'");
        }
    }

    /** The model's reading of a hosts file: every line that starts with a literal and names the host. */
    private static List<InetAddress> addresses(byte[] content, String name) {
        List<InetAddress> out = new ArrayList<>();
        for (String line : lines(content)) {
            List<String> words = words(line.indexOf('#') < 0 ? line : line.substring(0, line.indexOf('#')));
            InetAddress a = words.isEmpty() ? null : literal(words.get(0));
            for (int i = 1; a != null && i < words.size(); i++) {
                if (words.get(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** Lines as the C library and {@link java.io.BufferedReader} cut them: at LF, CR or CR LF; bytes as Latin-1. */
    private static List<String> lines(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (String w : BLANKS.split(line)) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /** The model of an IP literal: a dotted quad, or a bracketed IPv6 literal as the JDK reads it. */
    private static InetAddress literal(String word) {
        Matcher m = V4.matcher(word);
        try {
            if (m.matches()) {
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(m.group(i + 1));
                    if (octet > 255 || m.group(i + 1).length() > 1 && m.group(i + 1).startsWith("0")) {
                        return null; // a leading zero: octal to some readers, decimal to others
                    }
                    b[i] = (byte) octet;
                }
                return InetAddress.getByAddress(b);
            }
            return word.indexOf(':') >= 0 ? InetAddress.getByName("[" + word + "]") : null;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
