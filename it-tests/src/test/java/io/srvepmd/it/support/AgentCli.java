package io.srvepmd.it.support;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of the operator's command line, {@code java -jar srv-epmd-agent.jar ARGS} (or with the agent jar on
 * a class path beside another jar), as its own process (stopped by pid if it hangs), with
 * {@link ChildProcess#cleanEnvironment()} plus the given variables.
 */
public final class AgentCli {

    /** Hang guard: no command of the tests comes near it. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    public final int status;
    public final String stdout;
    public final String stderr;
    private final String described;

    private AgentCli(Command command, int status) {
        this.status = status;
        this.stdout = command.stdout();
        this.stderr = command.stderr();
        this.described = command.describe();
    }

    /** Runs {@code java -jar AGENT args} to its end. */
    public static AgentCli run(Map<String, String> env, String... args) {
        return run(List.of("-jar", ItEnv.agentJar().toString()), env, args);
    }

    /**
     * Runs {@code java -cp AGENT:JAR io.srvepmd.agent.Cli args} to its end: the command line with a
     * program's jar (JInterface, say) beside the agent, as doctor checks a program's class path.
     */
    public static AgentCli runBeside(Path jar, Map<String, String> env, String... args) {
        return run(List.of("-cp", ItEnv.agentJar() + File.pathSeparator + jar, "io.srvepmd.agent.Cli"), env, args);
    }

    private static AgentCli run(List<String> launch, Map<String, String> env, String... args) {
        // attach writes its copy of the agent jar to the temporary directory: keep it under target/
        List<String> command = new ArrayList<>(List.of(Command.java(), "-Djava.io.tmpdir=" + ItEnv.work()));
        command.addAll(launch);
        command.addAll(List.of(args));
        try (Command c = Command.start("agent-cli", command, env)) {
            int status = c.waitFor(PATIENCE);
            return new AgentCli(c, status);
        }
    }

    public static AgentCli run(String... args) {
        return run(Map.of(), args);
    }

    /** The stdout line that starts with {@code prefix}; fails, showing the run, if there is none. */
    public String line(String prefix) {
        for (String l : stdout.split("\n")) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        throw new AssertionError("no stdout line starts with '" + prefix + "': " + this);
    }

    /** Stdout lines starting with {@code prefix}. */
    public List<String> lines(String prefix) {
        List<String> found = new ArrayList<>();
        for (String l : stdout.split("\n")) {
            if (l.startsWith(prefix)) {
                found.add(l);
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return described;
    }
}
