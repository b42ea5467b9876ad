package io.srvepmd.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * {@code java -jar srv-epmd-agent.jar attach PID [key=value ...]}: loads the
 * agent into a running JVM, reads back what {@code agentmain} did (see
 * {@link AgentAttach}) and says what changed and what cannot change.
 *
 * <p>Exit status: 0 loaded; 1 not loaded (no such JVM, the agent already runs
 * there, or it failed to start); 2 usage; 78 the target rejected the settings
 * (nothing changed there: fix them and attach again).
 */
final class AttachCommand {

    private AttachCommand() {
    }

    static int run(String pid, List<String> settings, PrintStream out, PrintStream err) {
        String jar;
        try {
            jar = attachJar(agentJar());
        } catch (TargetJvm.Failure e) {
            err.println("srv-epmd: " + e.getMessage());
            return e.status;
        }
        try (TargetJvm target = TargetJvm.attach(pid)) {
            Properties before = target.systemProperties();
            String loaded = before.getProperty(AgentAttach.LOADED);
            if (loaded != null) {
                err.println("srv-epmd: not attached: the agent already runs in pid " + pid + " ("
                        + (AgentAttach.AT_START.equals(loaded) ? "loaded at JVM start with -javaagent"
                        : "attached earlier") + "); its settings are fixed until that JVM restarts."
                        + " See what it does with: java -jar srv-epmd-agent.jar status " + pid);
                return Cli.FAILED;
            }
            String jdkError = target.loadAgent(jar, String.join(",", settings));
            Properties after = target.systemProperties();
            String error = after.getProperty(AgentAttach.ERROR);
            String report = after.getProperty(AgentAttach.REPORT);
            if (error != null || report == null) {
                String why = error != null ? error : jdkError != null ? jdkError : "it left no report";
                boolean changed = after.getProperty(AgentAttach.LOADED) != null;
                err.println("srv-epmd: the agent did not start in pid " + pid + ": " + why
                        + (changed ? " (JInterface there may be hooked half-way: restart that JVM)"
                        : " (nothing changed there; fix this and attach again)"));
                return error != null && error.startsWith("configuration error:") && !changed ? Agent.EXIT_CONFIG
                        : Cli.FAILED;
            }
            print(pid, before, target.agentProperties(), parse(report), out);
            return Cli.OK;
        } catch (TargetJvm.Failure e) {
            err.println("srv-epmd: " + e.getMessage());
            return e.status;
        }
    }

    /** The jar this command runs from. */
    private static File agentJar() throws TargetJvm.Failure {
        CodeSource source = Cli.class.getProtectionDomain().getCodeSource();
        try {
            File f = source == null ? null : new File(source.getLocation().toURI());
            if (f != null && f.isFile()) {
                return f.getAbsoluteFile();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // reported below
        }
        throw new TargetJvm.Failure(Cli.USAGE, "attach loads the jar it runs from, but this command does not run"
                + " from a jar (" + (source == null ? "unknown" : source.getLocation()) + "); run it as java -jar"
                + " srv-epmd-agent.jar attach PID");
    }

    /**
     * The jar to load: a copy of the agent jar without {@code Boot-Class-Path}, kept in the temporary
     * directory under a name made of its content's hash (so attaches share it; the target keeps it open).
     *
     * <p>A JVM appends a dynamically loaded agent's {@code Boot-Class-Path} to its boot class path
     * while it runs, and a JVM with class data sharing (the default) answers that with a warning on
     * its stderr ("Sharing is only supported for boot loader classes because bootstrap classpath
     * has been appended") and stops sharing application classes. Without it, the agent's classes
     * load from the target's system class path, which JInterface's class loader reaches as usual.
     */
    private static String attachJar(File agent) throws TargetJvm.Failure {
        try {
            byte[] bytes = Files.readAllBytes(agent.toPath());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            Path target = Paths.get(System.getProperty("java.io.tmpdir"), "srv-epmd-agent-attach-" + hex + ".jar");
            if (Files.isRegularFile(target)) {
                return target.toString();
            }
            Path partial = Files.createTempFile(target.getParent(), "srv-epmd-agent-attach-", ".partial");
            try (JarFile in = new JarFile(agent);
                 OutputStream file = Files.newOutputStream(partial)) {
                Manifest manifest = new Manifest(in.getManifest());
                manifest.getMainAttributes().remove(new Attributes.Name("Boot-Class-Path"));
                try (JarOutputStream out = new JarOutputStream(file, manifest)) {
                    for (JarEntry e : Collections.list(in.entries())) {
                        if (e.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                            continue;
                        }
                        out.putNextEntry(new JarEntry(e.getName()));
                        try (InputStream entry = in.getInputStream(e)) {
                            entry.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
            }
            try {
                // the target may run as another user (root may attach to it): it must be able to read the jar
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // the temporary directory's own rules apply
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target.toString();
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            throw new TargetJvm.Failure(Cli.FAILED, "cannot prepare the jar to attach from " + agent + " in "
                    + System.getProperty("java.io.tmpdir") + ": " + e);
        }
    }

    private static Map<String, List<String>> parse(String report) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String line : report.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return m;
    }

    private static String one(Map<String, List<String>> r, String key) {
        List<String> v = r.get(key);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    private static void print(String pid, Properties target, Properties agentProperties,
            Map<String, List<String>> r, PrintStream out) {
        String resolvers = one(r, "resolvers");
        out.println("srv-epmd: agent loaded into pid " + pid + " (" + TargetJvm.describe(target) + ")");
        out.println("  resolvers: " + resolvers);
        for (String s : r.getOrDefault("setting", List.of())) {
            out.println("  setting " + s);
        }
        String port = one(r, "port");
        String source = one(r, "port.source");
        if (!source.equals("unset")) {
            out.println("  nodes created from now on: epmd-less; they listen on port " + port + " (" + source
                    + "; helper names stay ephemeral), register with no epmd, and find peers"
                    + " through " + resolvers);
        } else if (Boolean.parseBoolean(one(r, "port.required"))) {
            out.println("  nodes created from now on: epmd-less, but creating one fails: pid " + pid + " has no "
                    + ListenPorts.ERL_DIST_PORT + " and dist.port-required=true (attach cannot change a running"
                    + " process's environment; restart it with " + ListenPorts.ERL_DIST_PORT + ")");
        } else {
            out.println("  WARNING nodes created from now on: epmd-less, but they listen on ephemeral ports that"
                    + " peers cannot find in DNS: pid " + pid + " has no " + ListenPorts.ERL_DIST_PORT + ", and"
                    + " attach cannot change a running process's environment (give dist.port=PORT when"
                    + " attaching; this JVM must restart for that now). They still find peers through " + resolvers);
        }
        String retransformed = one(r, "retransformed");
        if (retransformed.isEmpty()) {
            out.println("  nodes created before the attach: none (JInterface was not loaded in pid " + pid
                    + (Boolean.parseBoolean(one(r, "watching"))
                    ? "; it is not on the system class path either, so it is hooked when it loads)"
                    : "; it is hooked now)"));
        } else {
            out.println("  JInterface was already loaded; hooked now by retransformation: " + retransformed);
            out.println("  nodes created before the attach cannot change: their listen port (ephemeral, unless"
                    + " the program chose one - not " + ListenPorts.ERL_DIST_PORT + "; DNS must publish that"
                    + " port for peers to reach them), their registration with an epmd if they made one"
                    + " (it ends when they close), their creation, and their open connections");
            out.println("  what does change for them: their new connections find peers through " + resolvers
                    + " (OtpEpmd.lookupPort and AbstractNode.createTransport are hooked for every node), and"
                    + " publishing or unpublishing them no longer talks to epmd");
        }
        out.println("  the agent's settings are fixed until pid " + pid + " exits (a second attach is refused);"
                + " see them with: java -jar srv-epmd-agent.jar status " + pid);
        String spec = target.getProperty("java.specification.version", "");
        String jvmArgs = agentProperties.getProperty("sun.jvm.args", "");
        if (feature(spec) >= 21 && !jvmArgs.contains("-XX:+EnableDynamicAgentLoading")) {
            out.println("  note: pid " + pid + " runs Java " + spec + ", which printed a warning about a dynamically"
                    + " loaded agent on its stderr; start it with -XX:+EnableDynamicAgentLoading to allow attach"
                    + " without one");
        }
    }

    private static int feature(String spec) {
        try {
            return Integer.parseInt(spec);
        } catch (NumberFormatException e) {
            return 0; // 1.8 and older: no such warning
        }
    }
}
