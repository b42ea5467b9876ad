package io.srvepmd.agent;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The operator's view of what the agent would do, with the same settings and
 * resolvers: {@code java -jar srv-epmd-agent.jar [key=value ...] COMMAND}.
 *
 * <ul>
 * <li>{@code resolve NODE...}: each node's answer (source, TTL, candidates)
 *     and the endpoints in the order a connection would try them;</li>
 * <li>{@code names}: what {@code OtpEpmd.lookupNames} would return;</li>
 * <li>{@code settings}: the settings in effect and where each came from;</li>
 * <li>{@code doctor [--node NAME] [PEER ...]}: checks a live setup end to end ({@link Doctor});</li>
 * <li>{@code status PID}: what the agent in a running JVM does ({@link StatusCommand});</li>
 * <li>{@code attach PID [key=value ...]}: loads the agent into a running JVM ({@link AttachCommand}).</li>
 * </ul>
 *
 * Settings come from {@code key=value} arguments, then {@code -Dsrvepmd.*}
 * and {@code SRVEPMD_*}, as for the agent. Exit status: 0 when everything
 * resolved, 1 when something did not, 2 for a usage error, 78 for a
 * configuration error.
 */
public final class Cli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** Every command, as the usage message lists it (the docs are checked against this list). */
    static final List<Command> COMMANDS = List.of(
            new Command("resolve NODE...", "each node's answer and the order a connection tries"),
            new Command("names", "what OtpEpmd.lookupNames returns"),
            new Command("settings", "the settings in effect and where each comes from"),
            new Command(Doctor.USAGE, "checks a live setup end to end"),
            new Command("status PID", "what the agent in a running JVM does"),
            new Command("attach PID [key=value ...]", "loads the agent into a running JVM"));

    /** One line of the usage message: a command word with its arguments, and what it does. */
    static final class Command {
        final String usage;
        final String help;

        Command(String usage, String help) {
            this.usage = usage;
            this.help = help;
        }

        /** @return the word that selects the command */
        String word() {
            int space = usage.indexOf(' ');
            return space < 0 ? usage : usage.substring(0, space);
        }

        /** @return the usage line, the help aligned in one column */
        String line() {
            return "  " + usage + " ".repeat(Math.max(32 - usage.length(), 2)) + help;
        }
    }

    private Cli() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> settings = new ArrayList<>();
        int i = 0;
        while (i < args.length && args[i].indexOf('=') > 0) { // settings come before the command word
            settings.add(args[i++]);
        }
        if (i >= args.length) {
            return usage(err);
        }
        String word = args[i];
        List<String> after = List.of(args).subList(i + 1, args.length);
        switch (word) {
            case "doctor":
                return Doctor.run(settings, after, out, err); // reports invalid settings as one of its checks
            case "status":
                return after.size() != 1 || !settings.isEmpty() || !isPid(after.get(0)) ? usage(err)
                        : attachApi(out, err, "status", after.get(0), List.of());
            case "attach": {
                if (after.isEmpty() || !isPid(after.get(0))) {
                    return usage(err);
                }
                List<String> all = new ArrayList<>(settings);
                for (String s : after.subList(1, after.size())) {
                    if (s.indexOf('=') <= 0) {
                        return usage(err);
                    }
                    all.add(s);
                }
                return attachApi(out, err, "attach", after.get(0), all);
            }
            default:
                break;
        }
        Bootstrap boot;
        try {
            boot = Bootstrap.from(String.join(",", settings));
        } catch (ConfigException e) {
            err.println("srv-epmd: configuration error: " + e.getMessage());
            return Agent.EXIT_CONFIG;
        }
        try {
            String command = args[i];
            List<String> rest = List.of(args).subList(i + 1, args.length);
            switch (command) {
                case "resolve":
                    return rest.isEmpty() ? usage(err) : resolve(boot, rest, out, err);
                case "names":
                    return names(boot, out, err);
                case "settings":
                    boot.settings.explicitSettings().forEach(out::println);
                    out.println("resolvers in use: " + boot.core.resolvers());
                    return OK;
                default:
                    return usage(err);
            }
        } finally {
            boot.close();
        }
    }

    private static int resolve(Bootstrap boot, List<String> nodes, PrintStream out, PrintStream err) {
        int status = OK;
        for (String node : nodes) {
            try {
                Resolution r = boot.resolver.resolve(NodeName.parse(node));
                out.println(node + ": " + r.source() + ", ttl " + r.ttl().getSeconds() + "s");
                for (Candidate c : r.candidates()) {
                    out.println("  candidate " + c);
                }
                List<String> order = new ArrayList<>();
                for (InetSocketAddress e : CandidateOrder.endpoints(r.candidates(), new Random())) {
                    String host = e.getAddress().getHostAddress();
                    order.add((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + e.getPort());
                }
                out.println("  connect order " + order);
            } catch (IOException | IllegalArgumentException e) {
                err.println(node + ": " + e.getMessage());
                status = FAILED;
            }
        }
        return status;
    }

    private static int names(Bootstrap boot, PrintStream out, PrintStream err) {
        try {
            for (NodeEntry e : boot.listing.list()) {
                out.println("name " + e.node().alive() + " at port " + e.port() + "  (" + e.node() + ")");
            }
            return OK;
        } catch (IOException e) {
            err.println(e.getMessage());
            return FAILED;
        }
    }

    private static boolean isPid(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code status} and {@code attach} need the JDK's jdk.attach module, loaded only here. */
    private static int attachApi(PrintStream out, PrintStream err, String command, String pid, List<String> settings) {
        try {
            return command.equals("status") ? StatusCommand.run(pid, out, err)
                    : AttachCommand.run(pid, settings, out, err);
        } catch (NoClassDefFoundError e) {
            err.println("srv-epmd: " + command + " needs the Attach API (module jdk.attach), which this Java runtime"
                    + " lacks (" + e.getMessage() + "); run it with a JDK's java");
            return FAILED;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: java -jar srv-epmd-agent.jar [key=value ...] COMMAND");
        for (Command c : COMMANDS) {
            err.println(c.line());
        }
        err.println("  e.g. java -jar srv-epmd-agent.jar dns.servers=127.0.0.1:8600 resolve node-0@my-service.service.consul");
        return USAGE;
    }
}
