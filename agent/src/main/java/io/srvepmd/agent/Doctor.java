package io.srvepmd.agent;

import io.srvepmd.dns.DnsSrvResolverProvider;
import io.srvepmd.dns.DnsSrvStatsMXBean;
import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code java -jar srv-epmd-agent.jar [key=value ...] doctor [--node NAME] [PEER ...]}:
 * checks a live setup end to end with the agent's own settings and resolvers,
 * one line per check, {@code OK} or {@code FAIL} with the problem and its fix
 * ({@code SKIP} when a check has nothing to look at). Exit status 0 when every
 * check passed, 1 otherwise, 2 for a usage error.
 *
 * <p>Checks, in order: the settings; every DNS server (one real question each,
 * through its own {@code dns-srv} resolver, timed); the local node's SRV record
 * (publishes the port in {@code ERL_DIST_PORT} or {@code dist.port} and an
 * address of this host); that port (free, or held by whom: the distribution
 * handshake's answer names the node); the resolvers; the JInterface on the
 * class path (its version, and whether its handshake offers the flags current
 * OTP requires); each peer (resolvable, accepting TCP, which node answers
 * there, and whether that JInterface can talk to it).
 */
final class Doctor {

    static final String USAGE = "doctor [--node NAME] [PEER ...]";

    private final PrintStream out;
    private int checks;
    private int failures;

    private Doctor(PrintStream out) {
        this.out = out;
    }

    static int run(List<String> settings, List<String> args, PrintStream out, PrintStream err) {
        String node = null;
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--node") && i + 1 < args.size()) {
                node = args.get(++i);
            } else if (a.startsWith("--node=")) {
                node = a.substring("--node=".length());
            } else if (a.startsWith("-")) {
                err.println("srv-epmd: doctor: unknown option " + a + "; usage: java -jar srv-epmd-agent.jar"
                        + " [key=value ...] " + USAGE);
                return Cli.USAGE;
            } else {
                peers.add(a);
            }
        }
        return new Doctor(out).check(String.join(",", settings), node, peers);
    }

    private void ok(String what) {
        checks++;
        out.println("OK    " + what);
    }

    private void fail(String what, String fix) {
        checks++;
        failures++;
        out.println("FAIL  " + what + "; fix: " + fix);
    }

    private void skip(String what) {
        out.println("SKIP  " + what);
    }

    private int check(String agentArgs, String node, List<String> peers) {
        Bootstrap boot;
        try {
            boot = Bootstrap.from(agentArgs);
        } catch (ConfigException e) {
            fail("settings: " + e.getMessage(), "correct that setting (java -jar srv-epmd-agent.jar settings shows"
                    + " each one and where it comes from); the other checks need valid settings");
            return summary();
        }
        try {
            List<String> set = boot.settings.explicitSettings();
            ok("settings: valid" + (set.isEmpty() ? ", all at their defaults" : ": " + String.join("; ", set)));
            NodeName local = parse(node, "--node");
            dnsServers(boot, local, peers);
            if (boot.tls != null) {
                tls(boot.tls);
            }
            Expected port = expectedPort(boot);
            Resolution published = local == null ? null : localNode(boot, local, port);
            listenPort(boot, local, port, published);
            resolvers(boot);
            JInterfaceJar jinterface = jinterface();
            for (String peer : peers) {
                peer(boot, peer, jinterface);
            }
        } finally {
            boot.close();
        }
        return summary();
    }

    private int summary() {
        out.println(failures == 0 ? "doctor: all " + checks + " checks passed"
                : "doctor: " + failures + " of " + checks + " checks failed");
        return failures == 0 ? Cli.OK : Cli.FAILED;
    }

    private NodeName parse(String name, String what) {
        if (name == null) {
            return null;
        }
        try {
            return NodeName.parse(name);
        } catch (IllegalArgumentException e) {
            fail(what + " " + name + ": " + e.getMessage(), "give a node name alive@host, as the program names it");
            return null;
        }
    }

    // ---- DNS servers ----------------------------------------------------------------------------

    private void dnsServers(Bootstrap boot, NodeName local, List<String> peers) {
        if (!boot.core.resolvers().contains(DnsSrvResolverProvider.NAME)) {
            skip("dns servers: not asked: resolvers=" + String.join(",", boot.core.resolvers()) + " has no "
                    + DnsSrvResolverProvider.NAME);
            return;
        }
        NodeName question = local;
        for (int i = 0; question == null && i < peers.size(); i++) {
            try {
                question = NodeName.parse(peers.get(i));
            } catch (IllegalArgumentException e) {
                // reported with the peer
            }
        }
        boolean probe = question == null;
        if (probe) {
            question = NodeName.parse("srv-epmd-doctor@probe.invalid"); // any answer, even an error code, will do
        }
        String configured = boot.settings.get("dns.servers").orElse(null);
        String file = boot.settings.get("dns.resolv-conf").orElse("/etc/resolv.conf").trim();
        List<String> servers = configured != null ? split(configured) : resolvConf(file);
        String from = configured != null ? "" : " (from " + file + ")";
        for (String server : servers) {
            dnsServer(boot.settings, server + from, server, question, probe);
        }
    }

    private void dnsServer(Settings settings, String label, String server, NodeName question, boolean probe) {
        EpmdResolver r;
        try {
            r = new DnsSrvResolverProvider().get(new OneServer(settings, server));
        } catch (IllegalArgumentException e) {
            fail("dns server " + label + ": " + e.getMessage(), "correct dns.servers");
            return;
        }
        try (r) {
            Asked first = ask(r, question);
            if (first.answered && (probe || !first.errorCode)) {
                Asked second = ask(r, question); // the first pays for the DNS library's start
                ok("dns server " + label + ": answers in " + second.millis() + " (" + second.outcome + ")");
            } else if (first.answered) {
                fail("dns server " + label + " answers with an error code for SRV of " + question + ": "
                        + first.outcome, "point dns.servers at a server that serves these names (Consul: its"
                        + " DNS interface, port 8600), or remove this one");
            } else {
                fail("dns server " + label + " does not answer: " + first.outcome, "check that a DNS server runs"
                        + " there (UDP and TCP; Consul answers on port 8600) and that this host may reach it, or"
                        + " remove it from dns.servers");
            }
        }
    }

    /** One timed question through a resolver of one server, and what its counters say came back. */
    private static Asked ask(EpmdResolver r, NodeName question) {
        DnsSrvStatsMXBean stats = (DnsSrvStatsMXBean) r;
        long answersBefore = stats.getNoErrorAnswers() + stats.getNxDomainAnswers();
        long errorsBefore = stats.getErrorAnswers();
        long start = System.nanoTime();
        String outcome;
        try {
            Optional<Resolution> res = r.resolve(question);
            outcome = res.isPresent() ? res.get().source() + ": " + res.get().candidates() : "no answer";
        } catch (IOException e) {
            outcome = e.getMessage();
        }
        long nanos = System.nanoTime() - start;
        boolean answered = stats.getNoErrorAnswers() + stats.getNxDomainAnswers() > answersBefore;
        boolean errorCode = stats.getErrorAnswers() > errorsBefore;
        return new Asked(answered || errorCode, errorCode && !answered, outcome, nanos);
    }

    private static final class Asked {
        final boolean answered;
        final boolean errorCode;
        final String outcome;
        final long nanos;

        Asked(boolean answered, boolean errorCode, String outcome, long nanos) {
            this.answered = answered;
            this.errorCode = errorCode;
            this.outcome = outcome;
            this.nanos = nanos;
        }

        String millis() {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
    }

    /** The agent's settings with {@code dns.servers} narrowed to one server (and no resolv.conf to default it). */
    private static final class OneServer implements EpmdResolverProvider.Configuration {
        private final Settings settings;
        private final String server;

        OneServer(Settings settings, String server) {
            this.settings = settings;
            this.server = server;
        }

        @Override
        public Optional<String> get(String key) {
            return key.equals("dns.servers") ? Optional.of(server)
                    : key.equals("dns.resolv-conf") ? Optional.empty() : settings.get(key);
        }

        @Override
        public String describe(String key) {
            return key.equals("dns.servers") ? "server " + server : settings.describe(key);
        }
    }

    private static List<String> split(String servers) {
        List<String> list = new ArrayList<>();
        for (String s : servers.split(",")) {
            if (!s.trim().isEmpty()) {
                list.add(s.trim());
            }
        }
        return list;
    }

    /** The nameserver lines of a resolv.conf file, as dns-srv reads them by default (127.0.0.1:53 if none). */
    private static List<String> resolvConf(String file) {
        Set<String> found = new LinkedHashSet<>();
        try (BufferedReader r = new BufferedReader(new FileReader(file))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    found.add(f[1].indexOf(':') >= 0 ? "[" + f[1] + "]:53" : f[1] + ":53");
                }
            }
        } catch (IOException e) {
            // dns-srv itself refuses to start without it; the settings check said so
        }
        return found.isEmpty() ? List.of("127.0.0.1:53") : new ArrayList<>(found);
    }

    // ---- local node and its port ----------------------------------------------------------------

    /** The port nodes created here listen on, and where it comes from; port 0 if unknown. */
    private static final class Expected {
        final int port;
        final String source;
        final String problem;

        Expected(int port, String source, String problem) {
            this.port = port;
            this.source = source;
            this.problem = problem;
        }
    }

    private static Expected expectedPort(Bootstrap boot) {
        if (boot.core.distPort().isPresent()) {
            return new Expected(boot.core.distPort().getAsInt(), "dist.port, " + boot.settings.describe(
                    CoreSettings.DIST_PORT), null);
        }
        String env = System.getenv(ListenPorts.ERL_DIST_PORT);
        if (env == null) {
            return new Expected(0, null, ListenPorts.ERL_DIST_PORT + " is not set (nor dist.port)");
        }
        try {
            int p = Integer.parseInt(env.trim());
            if (p >= 1 && p <= 65535) {
                return new Expected(p, ListenPorts.ERL_DIST_PORT, null);
            }
        } catch (NumberFormatException e) {
            // below
        }
        return new Expected(0, null, ListenPorts.ERL_DIST_PORT + "='" + env + "' is not a TCP port 1-65535");
    }

    private Resolution localNode(Bootstrap boot, NodeName local, Expected port) {
        String srv = srvName(boot, local);
        Resolution r;
        try {
            r = boot.resolver.resolve(local);
        } catch (IOException e) {
            fail("local node " + local + " is not published: " + e.getMessage(), "publish SRV " + srv
                    + " with the port in " + ListenPorts.ERL_DIST_PORT + " and an address of this host");
            return null;
        }
        Set<InetAddress> here = localAddresses();
        List<String> wrongPort = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        for (Candidate c : r.candidates()) {
            if (port.port != 0 && c.port() != port.port) {
                wrongPort.add(c.toString());
            }
            if (!isHere(c, here)) {
                elsewhere.add(c.toString());
            }
        }
        String what = "local node " + local + ": " + r.source() + " publishes " + r.candidates();
        if (!wrongPort.isEmpty()) {
            fail(what + ", but " + port.source + "=" + port.port + ": peers would connect to "
                    + String.join(", ", wrongPort) + ", where this node does not listen", "publish port "
                    + port.port + " in SRV " + srv + ", or set " + ListenPorts.ERL_DIST_PORT + " to the published"
                    + " port where the node runs");
        } else if (!elsewhere.isEmpty()) {
            fail(what + ", but " + String.join(", ", elsewhere) + " is not an address of this host (its addresses: "
                    + literals(here) + ")", "publish this host's address for the SRV target of " + srv
                    + " (or run doctor on the host where " + local + " runs)");
        } else if (port.port == 0) {
            ok(what + ": an address of this host (the port: see the next line)");
        } else {
            ok(what + ": the port in " + port.source + " and an address of this host");
        }
        return r;
    }

    private static String srvName(Bootstrap boot, NodeName node) {
        return boot.settings.get("dns.query").orElse("{alive}.{host}").replace("{alive}", node.alive())
                .replace("{host}", node.host());
    }

    private static boolean isHere(Candidate c, Set<InetAddress> here) {
        for (InetAddress a : c.addresses()) {
            if (a.isLoopbackAddress() || here.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static Set<InetAddress> localAddresses() {
        Set<InetAddress> all = new LinkedHashSet<>();
        try {
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(i.getInetAddresses())) {
                    all.add(stripScope(a));
                }
            }
        } catch (SocketException e) {
            // no interfaces readable: only loopback counts
        }
        return all;
    }

    private static InetAddress stripScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (IOException e) {
            return a;
        }
    }

    private static String literals(Set<InetAddress> addresses) {
        Set<String> s = new TreeSet<>();
        for (InetAddress a : addresses) {
            s.add(a.getHostAddress());
        }
        return String.join(", ", s);
    }

    private void listenPort(Bootstrap boot, NodeName local, Expected expected, Resolution published) {
        if (expected.port == 0) {
            if (local == null) {
                skip("listen port: " + expected.problem + " and no --node given: nothing to check");
            } else {
                fail("listen port: " + expected.problem + ", so " + local + " would listen on an ephemeral port that"
                        + " no SRV record can name", "export " + ListenPorts.ERL_DIST_PORT + "="
                        + (published == null ? "PORT" : published.candidates().get(0).port() + " (the port SRV "
                        + srvName(boot, local) + " publishes)") + " where the node runs, or set dist.port");
            }
            return;
        }
        int port = expected.port;
        String what = "port " + port + " (" + expected.source + ")";
        try (ServerSocket s = new ServerSocket(port)) { // as JInterface binds it
            ok(what + ": free, so a node created here can listen on it (no node listens there now)");
            return;
        } catch (BindException e) {
            // in use: by whom?
        } catch (IOException e) {
            fail(what + ": cannot listen on it: " + e.getMessage(), "choose a port this process may bind, and"
                    + " publish it");
            return;
        }
        List<InetAddress> tryAt = new ArrayList<>();
        if (published != null) {
            Set<InetAddress> here = localAddresses();
            for (Candidate c : published.candidates()) {
                for (InetAddress a : c.addresses()) {
                    if (!tryAt.contains(a) && (a.isLoopbackAddress() || here.contains(a))) {
                        tryAt.add(a);
                    }
                }
            }
        }
        tryAt.add(InetAddress.getLoopbackAddress());
        int timeout = (int) boot.core.connectTimeout().toMillis();
        String host = local != null ? local.host() : "doctor.invalid";
        for (InetAddress a : tryAt) {
            DistHandshake.Answer answer;
            try {
                answer = DistHandshake.ask(new InetSocketAddress(a, port), ourName(host), timeout);
            } catch (IOException e) {
                continue; // not reachable at that address: the next
            }
            if (!answer.isDistribution()) {
                fail(what + ": in use, by a process that is not an Erlang node (" + answer.problem + ")",
                        "stop that process, or give the node another port (and publish that one)");
            } else if (answer.node == null) {
                ok(what + ": in use, by an Erlang distribution listener that answered " + answer
                        + " without naming itself: cannot tell whether it is " + (local == null ? "this node"
                        : local));
            } else if (local == null || answer.node.equals(local.toString())) {
                ok(what + ": held by node " + answer.node + " (it answered the distribution handshake"
                        + " there)" + (local == null ? "; give --node NAME to check it is this node" : ""));
            } else {
                fail(what + ": held by another node, " + answer.node + " (it answered the distribution"
                        + " handshake there), not " + local, "give " + local + " its own port, or stop "
                        + answer.node);
            }
            return;
        }
        fail(what + ": in use, but nothing accepts connections on it at " + tryAt, "find what holds it (ss -ltnp"
                + " 'sport = :" + port + "') and stop it, or give the node another port");
    }

    // ---- resolvers and peers --------------------------------------------------------------------

    private void resolvers(Bootstrap boot) {
        List<String> loaded = new ArrayList<>();
        for (NamedResolver r : boot.chain.resolvers()) {
            loaded.add(r.name + " (" + origin(r.resolver.getClass()) + ")");
        }
        String others = "";
        try {
            Set<String> found = new TreeSet<>(Providers.discover(ClassLoader.getSystemClassLoader()).names());
            found.removeAll(boot.core.resolvers());
            if (!found.isEmpty()) {
                others = "; also on the class path, not in resolvers: " + String.join(", ", found);
            }
        } catch (ConfigException e) {
            others = "; the class path also holds a broken provider: " + e.getMessage();
        }
        ok("resolvers: " + String.join(", ", loaded) + others);
    }

    /** The JInterface on the class path doctor runs with (the program's, when run with it), or null. */
    private JInterfaceJar jinterface() {
        JInterfaceJar found = JInterfaceJar.find(ClassLoader.getSystemClassLoader());
        if (found == null) {
            skip("jinterface: none on this class path (java -jar sees only the agent jar); to check the program's,"
                    + " run doctor with it: java -cp srv-epmd-agent.jar:/path/to/OtpErlang.jar io.srvepmd.agent.Cli"
                    + " [key=value ...] " + USAGE);
        } else if (found.flags < 0) {
            ok("jinterface " + found.describe() + ": cannot read the flags its handshake offers (an unknown build)");
        } else if (found.lacks(DistFlags.MANDATORY) == 0) {
            ok("jinterface " + found.describe() + ": its handshake offers every flag OTP 25-29 nodes require");
        } else {
            ok("jinterface " + found.describe() + ": its handshake lacks " + String.join(", ", DistFlags.names(
                    found.lacks(DistFlags.MANDATORY))) + ", so nodes of OTP " + (found.lacks(DistFlags.MANDATORY_25)
                    != 0 ? "25" : "26") + " and later refuse it (Java nodes on the same JInterface do not)");
        }
        return found;
    }

    /**
     * Why {@code jinterface} cannot talk to the node that gave {@code answer}, or null if nothing says it
     * cannot. An answer in the OTP 23 form comes from a node that requires {@link DistFlags#MANDATORY_25};
     * whether it requires {@link DistFlags#MANDATORY_26} too (OTP 26 and later) the handshake does not tell.
     */
    private static String refusal(JInterfaceJar jinterface, DistHandshake.Answer answer) {
        if (jinterface == null || !answer.handshake23) {
            return null;
        }
        long lacks25 = jinterface.lacks(DistFlags.MANDATORY_25);
        long lacks26 = jinterface.lacks(DistFlags.MANDATORY_26);
        if (lacks25 == 0 && lacks26 == 0) {
            return null;
        }
        String which = lacks25 != 0 ? "which nodes of OTP 25 and later require"
                : "which nodes of OTP 26 and later require (if " + answer.node + " runs one)";
        return "JInterface " + jinterface.describe() + " on this class path cannot talk to it: its handshake lacks "
                + String.join(", ", DistFlags.names(lacks25 | lacks26)) + ", " + which + " (such a node refuses"
                + " the connection, and may log that it \"cannot handle\" them)";
    }

    private static String jinterfaceFix(NodeName node, JInterfaceJar jinterface) {
        return "use the JInterface of " + node + "'s OTP release (OtpErlang.jar in that installation's"
                + " lib/jinterface-VERSION/priv; Debian: package erlang-jinterface) instead of " + jinterface.location
                + (jinterface.lacks(DistFlags.MANDATORY_25) == 0 ? "" : " (Maven Central's org.erlang.otp:jinterface,"
                + " 1.6.1 at newest, is too old for OTP 23 and later)");
    }

    /** The name the doctor introduces itself with in a handshake: a hidden node of the listener's naming mode. */
    private static String ourName(String host) {
        return "srv-epmd-doctor-" + ProcessHandle.current().pid() + "@" + host;
    }

    private static String origin(Class<?> c) {
        if (c.getName().startsWith("io.srvepmd.dns.")) {
            return "built into the agent jar";
        }
        CodeSource s = c.getProtectionDomain().getCodeSource();
        return c.getName() + (s == null ? "" : " from " + s.getLocation().getPath());
    }

    /** The TLS files (loaded and checked at start-up, or the settings line failed): what they hold. */
    private void tls(TlsTransports tls) {
        TlsMaterial m = tls.contexts.current();
        java.security.cert.X509Certificate c = m.certificate();
        double days = tls.stats.expiryDays(System.currentTimeMillis());
        String what = "tls: certificate " + TlsMaterial.subject(c) + " issued by '" + c.getIssuerX500Principal()
                .getName() + "', chain of " + m.chain.size() + ", key " + m.keyFormat + " " + m.key.getAlgorithm()
                + " matches it, " + m.cas.size() + " CA(s) trusted" + (m.crls.isEmpty() ? "" : ", " + m.crls.size()
                + " CRL(s)") + "; valid until " + TlsMaterial.date(c.getNotAfter()) + String.format(Locale.ROOT,
                " (%.1f days)", days);
        if (days < 7) {
            fail(what, "renew it now: peers refuse an expired certificate (the agent loads replaced files for new"
                    + " connections)");
        } else {
            ok(what);
        }
        for (String warning : m.warnings) {
            fail("tls: " + warning, "if the peers trust this node's CA through their own bundle, nothing; else give"
                    + " this node a certificate from a CA in tls.cacertfile");
        }
    }

    /** One attempt at a peer's endpoint: TCP, TLS when on, then the first distribution handshake steps. */
    private static DistHandshake.Answer ask(Bootstrap boot, NodeName node, InetSocketAddress e, int timeout)
            throws IOException {
        if (boot.tls == null) {
            return DistHandshake.ask(e, ourName(node.host()), timeout);
        }
        try (java.net.Socket s = boot.tls.connect(node.host(), e, timeout)) {
            DistHandshake.Answer a = DistHandshake.over(s, ourName(node.host()), timeout);
            if (a.problem != null && a.problem.contains("TLS handshake")) {
                throw new IOException(a.problem); // TLS 1.3: the peer's refusal arrives on the first read
            }
            return a;
        }
    }

    private void peer(Bootstrap boot, String peer, JInterfaceJar jinterface) {
        NodeName node = parse(peer, "peer");
        if (node == null) {
            return;
        }
        Resolution r;
        try {
            r = boot.resolver.resolve(node);
        } catch (UnavailableException e) {
            fail("peer " + node + ": cannot resolve, no resolver's source answered: " + e.getMessage(),
                    "see the dns server lines above");
            return;
        } catch (IOException e) {
            fail("peer " + node + ": cannot resolve: " + e.getMessage(), "check the node name, and that SRV "
                    + srvName(boot, node) + " exists where dns.servers point (dig @SERVER -p PORT SRV "
                    + srvName(boot, node) + ")");
            return;
        }
        int timeout = (int) boot.core.connectTimeout().toMillis();
        List<String> tried = new ArrayList<>();
        int attempts = 0;
        for (InetSocketAddress e : CandidateOrder.endpoints(r.candidates(), new Random())) {
            if (attempts++ >= boot.core.connectMaxAttempts()) {
                break;
            }
            String at = (e.getAddress().getHostAddress().indexOf(':') >= 0 ? "[" + e.getAddress().getHostAddress()
                    + "]" : e.getAddress().getHostAddress()) + ":" + e.getPort();
            DistHandshake.Answer answer;
            try {
                answer = ask(boot, node, e, timeout);
            } catch (IOException x) {
                tried.add(at + " " + x.getMessage());
                continue;
            }
            String what = "peer " + node + ": " + r.source() + ", " + at + " accepts TCP"
                    + (boot.tls == null ? "" : " and a mutual TLS handshake");
            String refusal = refusal(jinterface, answer);
            if (answer.node == null) {
                ok(what + (answer.isDistribution() ? " (an Erlang distribution listener that answered " + answer
                        + " without naming itself)" : " (" + answer.problem + ": a TLS distribution?)"));
            } else if (answer.node.equals(node.toString()) && refusal != null) {
                fail(what + " and answers the distribution handshake as " + answer.node + ", but " + refusal,
                        jinterfaceFix(node, jinterface));
            } else if (answer.node.equals(node.toString())) {
                ok(what + " and answers the distribution handshake as " + answer.node);
            } else {
                fail(what + ", but the node there is " + answer.node + ", not " + node, "publish " + node
                        + "'s own port (its " + ListenPorts.ERL_DIST_PORT + ") in SRV " + srvName(boot, node));
            }
            return;
        }
        if (boot.tls != null && String.join(" ", tried).contains("TLS handshake")) {
            fail("peer " + node + ": " + r.source() + ", but no TLS connection could be made there (" + String.join(
                    ", ", tried) + ")", "by the reason named: the peer must run -proto_dist inet_tls with a"
                    + " certificate issued by a CA in tls.cacertfile that names " + node.host() + ", and trust the CA"
                    + " of this node's certificate");
            return;
        }
        fail("peer " + node + ": " + r.source() + ", but nothing accepts TCP there (" + String.join(", ", tried)
                + ")", "start the node, check that SRV " + srvName(boot, node) + " publishes the port in its "
                + ListenPorts.ERL_DIST_PORT + ", and that the network lets this host reach it");
    }
}
