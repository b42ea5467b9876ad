package io.srvepmd.it.support;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** A short-lived command run by a test (a validator, the agent's command line), stopped by pid on close. */
public final class Command extends ChildProcess {

    private Command(String label, List<String> command, Map<String, String> env) throws IOException {
        super(label, command, env, ItEnv.newDir(label));
    }

    /** Starts {@code command} with {@link ChildProcess#cleanEnvironment()} plus {@code env}. */
    public static Command start(String label, List<String> command, Map<String, String> env) {
        Map<String, String> all = cleanEnvironment();
        all.putAll(env);
        try {
            return new Command(label, command, all);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
    }

    /** {@code java} of the JVM running the tests. */
    public static String java() {
        return java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
