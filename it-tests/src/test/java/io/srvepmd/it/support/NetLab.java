package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Several "hosts" on one machine: Linux network namespaces, each with one veth
 * interface {@code eth0} on a shared bridge and its own address in the
 * benchmarking range 198.18.0.0/15 (RFC 2544), no default route, so nothing
 * they send can leave the bridge. Programs run on a host through
 * {@code ip netns exec NS ...} ({@link Host#exec}); {@code ip netns exec} execs,
 * so a started process's pid is the program's own and it is stopped by pid as
 * every other child. A host may have its own {@code /etc/resolv.conf} and
 * {@code /etc/hosts} ({@code ip netns exec} bind-mounts
 * {@code /etc/netns/NS/*} over {@code /etc/*} for the programs it starts).
 *
 * <p>Every name (namespaces, bridge, veths, {@code /etc/netns} folders) starts
 * with this run's prefix {@code se<pid><letter>}. {@link #close()} deletes all
 * of them; {@link #create()} first removes leftovers of earlier runs of these
 * tests whose JVM is gone (names {@code se<pid>...} with no live process
 * {@code <pid>}), and nothing else.
 */
public final class NetLab implements AutoCloseable {

    /** The prefix length of every address: the whole 198.18.0.0/15. */
    public static final int PREFIX_LENGTH = 15;

    private static final AtomicInteger LABS = new AtomicInteger();
    private static final Pattern OURS = Pattern.compile("se(\\d+)[a-z](?:br|h\\d+|-.*)");
    private static final Path ETC_NETNS = Paths.get("/etc/netns");
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);
    private static String unavailable;
    private static boolean probed;

    private final String prefix;
    private final String bridge;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private int veths;

    private NetLab(String prefix) {
        this.prefix = prefix;
        this.bridge = prefix + "br";
    }

    /**
     * Why network namespaces cannot be used here (not root, no {@code ip}, no
     * permission to create a namespace...), or null if they can: probed once per
     * JVM by really creating (and deleting) a namespace.
     */
    public static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            String probe = "se" + ProcessHandle.current().pid() + "z-probe";
            try {
                run("ip", "netns", "add", probe);
                run("ip", "netns", "del", probe);
                unavailable = null;
            } catch (RuntimeException e) {
                unavailable = "cannot create a network namespace (needs root and iproute2's 'ip netns'): "
                        + e.getMessage();
            }
        }
        return unavailable;
    }

    /**
     * Skips the calling test, saying why, where namespaces cannot be created; under CI
     * ({@code CI=true}, where the tests run as root) that is a failure instead, so a CI run can never
     * pass these tests by skipping them.
     */
    public static void assumeAvailable() {
        String reason = unavailableReason();
        if (reason == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + reason);
        }
        System.err.println("SKIPPED (multi-host test): " + reason);
        org.junit.jupiter.api.Assumptions.abort(reason);
    }

    /** A new, empty lab: the bridge, up, without an address (hosts talk among themselves only). */
    public static NetLab create() {
        reapLeftovers();
        String prefix = "se" + ProcessHandle.current().pid() + (char) ('a' + LABS.getAndIncrement() % 26);
        NetLab lab = new NetLab(prefix);
        lab.removeOwnNames(); // a crashed run with the same pid: only names with exactly this prefix
        try {
            run("ip", "link", "add", lab.bridge, "type", "bridge");
            run("ip", "link", "set", lab.bridge, "up");
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    public String prefix() {
        return prefix;
    }

    /**
     * A new host {@code name} with address {@code address}/15 on the bridge; its
     * loopback is up too. {@code name} is short ({@code [a-z0-9-]}), unique in the lab.
     */
    public Host host(String name, String address) {
        if (!name.matches("[a-z0-9-]{1,20}") || hosts.containsKey(name)) {
            throw new IllegalArgumentException("bad or duplicate host name " + name);
        }
        String ns = prefix + "-" + name;
        String veth = prefix + "h" + (veths++);
        Host host = new Host(name, ns, veth, address);
        hosts.put(name, host);
        run("ip", "netns", "add", ns);
        run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "link", "set", veth, "master", bridge, "up");
        run("ip", "-n", ns, "addr", "add", address + "/" + PREFIX_LENGTH, "dev", "eth0");
        run("ip", "-n", ns, "link", "set", "eth0", "up");
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return host;
    }

    /** Removes a host: its veth pair, its namespace and its {@code /etc/netns} folder (stop its processes first). */
    public void remove(Host host) {
        hosts.remove(host.name);
        host.delete();
    }

    /** Namespaces, links and /etc/netns folders of this lab that still exist (for the test of the cleanup). */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        for (String ns : namespaces()) {
            if (ns.startsWith(prefix + "-")) {
                left.add("namespace " + ns);
            }
        }
        for (String link : links()) {
            if (link.startsWith(prefix)) {
                left.add("link " + link);
            }
        }
        for (String dir : netnsDirs()) {
            if (dir.startsWith(prefix + "-")) {
                left.add("/etc/netns/" + dir);
            }
        }
        return left;
    }

    /** Deletes every host (veth, namespace, /etc/netns folder) and the bridge. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Host h : new ArrayList<>(hosts.values())) {
            try {
                remove(h);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        try {
            removeOwnNames();
        } catch (RuntimeException e) {
            first = first == null ? e : first;
        }
        List<String> left = leftovers();
        if (first != null) {
            throw first;
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("lab " + prefix + " left " + left);
        }
    }

    /** One namespace of the lab. */
    public final class Host {
        private final String name;
        private final String ns;
        private final String veth;
        private final String address;

        private Host(String name, String ns, String veth, String address) {
            this.name = name;
            this.ns = ns;
            this.veth = veth;
            this.address = address;
        }

        public String name() {
            return name;
        }

        /** The namespace's name. */
        public String namespace() {
            return ns;
        }

        /** Its IPv4 address, e.g. {@code 198.18.1.1}. */
        public String address() {
            return address;
        }

        /** {@code ip netns exec NS command...}: the prefix that runs {@code command} on this host. */
        public List<String> exec(List<String> command) {
            List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            all.addAll(command);
            return all;
        }

        /** The prefix alone, for builders that take one. */
        public List<String> execPrefix() {
            return List.of("ip", "netns", "exec", ns);
        }

        /** Gives programs started on this host their own {@code /etc/resolv.conf}. */
        public Host resolvConf(String text) {
            return etcFile("resolv.conf", text);
        }

        /** Gives programs started on this host their own {@code /etc/hosts}. */
        public Host hostsFile(String text) {
            return etcFile("hosts", text);
        }

        private Host etcFile(String file, String text) {
            try {
                Path dir = Files.createDirectories(ETC_NETNS.resolve(ns));
                Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write /etc/netns/" + ns + "/" + file, e);
            }
            return this;
        }

        private void delete() {
            RuntimeException first = null;
            if (links().contains(veth)) {
                try {
                    run("ip", "link", "del", veth); // takes eth0 in the namespace with it
                } catch (RuntimeException e) {
                    first = e;
                }
            }
            if (namespaces().contains(ns)) {
                try {
                    run("ip", "netns", "del", ns);
                } catch (RuntimeException e) {
                    first = first == null ? e : first;
                }
            }
            deleteTree(ETC_NETNS.resolve(ns));
            if (first != null) {
                throw first;
            }
        }

        @Override
        public String toString() {
            return name + " (" + address + ", netns " + ns + ")";
        }
    }

    /**
     * TCP ports in LISTEN state, and bound UDP ports, in the network namespace
     * of process {@code pid}, as "ADDRESS:PORT" (IPv4 only), from
     * {@code /proc/PID/net/{tcp,udp}}.
     */
    public static List<String> listening(long pid, String protocol) {
        Path table = Paths.get("/proc", Long.toString(pid), "net", protocol);
        List<String> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals(protocol.startsWith("udp") ? "07" : "0A")) {
                    String[] hostPort = f[1].split(":");
                    long a = Long.parseLong(hostPort[0], 16);
                    String ip = (a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 24) & 0xff);
                    out.add(ip + ":" + Integer.parseInt(hostPort[1], 16));
                }
            }
        } catch (IOException gone) {
            // the process exited: nothing listens for it
        }
        return out;
    }

    // ---- ip(8) ----

    /** Runs {@code ip ...} (or any short command), returning stdout; fails with stderr on a non-zero exit. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(IP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<String> namespaces() {
        return run("ip", "netns", "list").lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }

    private static List<String> links() {
        List<String> out = new ArrayList<>();
        for (String line : run("ip", "-o", "link", "show").split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                out.add(f[1].split("@")[0].trim());
            }
        }
        return out;
    }

    private static List<String> netnsDirs() {
        if (!Files.isDirectory(ETC_NETNS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(ETC_NETNS)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Removes every name carrying exactly this lab's prefix (a crashed earlier run with the same pid). */
    private void removeOwnNames() {
        removeMatching(name -> name.equals(bridge) || name.startsWith(prefix + "h") || name.startsWith(prefix + "-"));
    }

    /** Leftovers of crashed runs of these tests: names se<pid>... whose JVM (pid) is gone. */
    private static void reapLeftovers() {
        removeMatching(name -> {
            Matcher m = OURS.matcher(name);
            return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true);
        });
    }

    private static void removeMatching(java.util.function.Predicate<String> doomed) {
        for (String link : links()) {
            if (doomed.test(link) && !link.endsWith("br")) {
                runQuietly("ip", "link", "del", link);
            }
        }
        for (String ns : namespaces()) {
            if (doomed.test(ns)) {
                runQuietly("ip", "netns", "del", ns);
            }
        }
        for (String link : links()) {
            if (doomed.test(link)) {
                runQuietly("ip", "link", "del", link);
            }
        }
        for (String dir : netnsDirs()) {
            if (doomed.test(dir)) {
                deleteTree(ETC_NETNS.resolve(dir));
            }
        }
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
        try (Stream<Path> rest = Files.list(ETC_NETNS)) {
            if (rest.findAny().isEmpty()) {
                Files.deleteIfExists(ETC_NETNS); // only if empty: someone else's folders stay
            }
        } catch (IOException ignored) {
            // another run created something meanwhile: leave the folder
        }
    }
}
