package io.srvepmd.dns;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringTokenizer;

/**
 * The hosts file, asked before DNS as the C library and the JDK do: the file
 * the JDK reads ({@code -Djdk.net.hosts.file}) when set, else
 * {@code /etc/hosts}. Read again whenever it changes (a container's hosts file
 * is rewritten when a pod moves), never cached beyond that.
 */
final class HostsFile {

    private final File file;
    private long readModified = -1;
    private long readLength = -1;
    private Map<String, List<InetAddress>> byName = Map.of();

    HostsFile(File file) {
        this.file = file;
    }

    /** The file the JDK itself would read. */
    static HostsFile ofThisJvm() {
        String jdk = System.getProperty("jdk.net.hosts.file");
        return new HostsFile(new File(jdk != null ? jdk : "/etc/hosts"));
    }

    /** @return the addresses the file gives {@code host}, in file order; empty if none */
    synchronized List<InetAddress> lookup(String host) throws IOException {
        long modified = file.lastModified();
        long length = file.length();
        if (modified != readModified || length != readLength) {
            byName = read();
            readModified = modified;
            readLength = length;
        }
        List<InetAddress> found = byName.get(host.toLowerCase(Locale.ROOT));
        return found == null ? List.of() : found;
    }

    private Map<String, List<InetAddress>> read() throws IOException {
        Map<String, List<InetAddress>> out = new HashMap<>();
        // A plain reader (start-up discipline, it-tests' StartupDisciplineTest).
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(file),
                StandardCharsets.ISO_8859_1))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int hash = line.indexOf('#');
                StringTokenizer words = new StringTokenizer(hash < 0 ? line : line.substring(0, hash));
                InetAddress address = words.hasMoreTokens() ? literal(words.nextToken()) : null;
                while (address != null && words.hasMoreTokens()) {
                    out.computeIfAbsent(words.nextToken().toLowerCase(Locale.ROOT), Lists.NEW).add(address);
                }
            }
        } catch (FileNotFoundException e) {
            return Map.of(); // no hosts file: nothing to find in it
        }
        return out;
    }

    /** @return the IP literal's address, or {@code null} if it is none (such lines are skipped, as glibc does) */
    static InetAddress literal(String text) {
        InetAddress v4 = Servers.v4(text);
        if (v4 != null || text.indexOf(':') < 0) {
            return v4;
        }
        try {
            return InetAddress.getByName("[" + text + "]"); // in brackets: strictly a literal, never a lookup
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A named class (start-up discipline, it-tests' StartupDisciplineTest). */
    private static final class Lists implements java.util.function.Function<String, List<InetAddress>> {
        static final Lists NEW = new Lists();

        @Override
        public List<InetAddress> apply(String name) {
            return new ArrayList<>();
        }
    }
}
