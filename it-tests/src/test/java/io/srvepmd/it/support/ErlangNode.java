package io.srvepmd.it.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real, epmd-less OTP node of a chosen release ({@link Otp}): {@code erl -noshell
 * -name NAME -setcookie C -start_epmd false -epmd_module srv_epmd -run it_node main} with
 * {@code ERL_DIST_PORT} set and {@code ERL_INETRC} pointing at the test's DNS
 * server. It is ready once {@code it_node} prints {@code READY}; commands go
 * to its stdin (see it_node.erl), answers come back as stdout lines.
 */
public final class ErlangNode implements AutoCloseable {

    /** How long to wait for a node to boot or to answer a command. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private final String name;
    private final int distPort;
    private final ChildProcess process;

    private ErlangNode(String name, int distPort, ChildProcess process) {
        this.name = name;
        this.distPort = distPort;
        this.process = process;
    }

    /** Starts node {@code name} (long name) of OTP 25 listening on {@code distPort}, and waits until it is ready. */
    public static ErlangNode start(String name, String cookie, Nameserver dns, int distPort) {
        return start(Otp.otp25(), name, cookie, dns, distPort);
    }

    /** Starts node {@code name} of release {@code otp} listening on {@code distPort}, and waits until it is ready. */
    public static ErlangNode start(Otp otp, String name, String cookie, Nameserver dns, int distPort) {
        return start(otp, name, cookie, dns, distPort, List.of());
    }

    /**
     * Starts node {@code name} of release {@code otp} listening on {@code distPort} with more {@code erl}
     * arguments (e.g. {@code -proto_dist inet6_tcp}), and waits until it is ready.
     */
    public static ErlangNode start(Otp otp, String name, String cookie, Nameserver dns, int distPort,
            List<String> erlArgs) {
        Path dir = ItEnv.newDir("erl-" + name.replaceAll("[^A-Za-z0-9_.-]", "_"));
        Map<String, String> env = ChildProcess.cleanEnvironment();
        env.put("ERL_DIST_PORT", Integer.toString(distPort));
        env.put("ERL_INETRC", dns.erlangInetrc(dir).toString());
        env.put("HOME", dir.toString());
        List<String> command = new java.util.ArrayList<>(List.of(otp.erl().toString(), "-noshell", "-name", name,
                "-setcookie", cookie, "-start_epmd", "false", "-epmd_module", "srv_epmd", "-pa",
                ItEnv.ebin(otp).toString()));
        command.addAll(erlArgs);
        command.addAll(List.of("-run", "it_node", "main"));
        return launch(name, distPort, command, env, dir);
    }

    /**
     * Starts {@code command} (an {@code erl ... -run it_node main} command line, possibly behind a prefix such as
     * {@code ip netns exec NS}) with environment {@code env} in {@code dir} as node {@code name}, and waits until
     * it is ready. For nodes whose command line a test builds itself (another epmd-less mode, another host).
     */
    public static ErlangNode launch(String name, int distPort, List<String> command, Map<String, String> env,
            Path dir) {
        ChildProcess child;
        try {
            child = new ChildProcess("erl", command, env, dir);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
        ErlangNode node = new ErlangNode(name, distPort, child);
        try {
            child.awaitLine("READY " + Pattern.quote(name), PATIENCE);
        } catch (AssertionError | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    public String name() {
        return name;
    }

    public int distPort() {
        return distPort;
    }

    public ChildProcess process() {
        return process;
    }

    /** {@code net_adm:ping(Node)}: true for pong. */
    public boolean ping(String node) {
        return command("ping " + node, "PING " + Pattern.quote(node) + " (pong|pang)").group(1).equals("pong");
    }

    /**
     * Sends {@code {self(), <<text>>}} to {@code {mbox, node}} and returns the reply as printed by
     * {@code io:format("~w")}, or fails if none came within 10 s.
     */
    public String sendAndAwaitReply(String node, String mbox, String text) {
        Matcher m = command("send " + node + " " + mbox + " " + text, "(REPLY (.*)|TIMEOUT)");
        if (m.group(2) == null) {
            throw new AssertionError(name + ": no reply from {" + mbox + ", " + node + "}: " + process.describe());
        }
        return m.group(2);
    }

    private Matcher command(String line, String answer) {
        int from = process.stdoutLines().size();
        process.send(line);
        return process.awaitLine(from, Pattern.compile(answer), PATIENCE);
    }

    @Override
    public void close() {
        process.close();
    }
}
