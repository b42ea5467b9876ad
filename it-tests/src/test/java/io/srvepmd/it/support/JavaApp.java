package io.srvepmd.it.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM running one of the test programs in {@code io.srvepmd.it.app}:
 * {@code java [-javaagent:AGENT[=ARGS]] [-Dprops] -cp APP:JINTERFACE[:STATIC]
 * io.srvepmd.it.app.MAIN args}, with an environment free of SRVEPMD_* and
 * ERL_* unless the test sets them. The child's JDK name service reads only a
 * hosts file holding {@code localhost}, so nothing it does can send a DNS
 * question to the machine's resolver.
 */
public final class JavaApp implements AutoCloseable {

    /** Which JInterface jar goes on the class path. */
    public enum JInterface {
        /** Maven Central 1.6.1 (OTP 18 era; OTP 23 and later refuse its handshake). */
        V1_6_1("1.6.1", "it.jinterface161"),
        /** Debian 12's 1.13.1 (OTP 25). */
        V1_13_1("1.13.1", "it.jinterface1131"),
        /** Debian 13's 1.14.1 (OTP 27). */
        V1_14_1("1.14.1", "it.jinterface1141"),
        /** Debian unstable's 1.16 (OTP 29). */
        V1_16("1.16", "it.jinterface116");

        private final String version;
        private final String property;

        JInterface(String version, String property) {
            this.version = version;
            this.property = property;
        }

        public String version() {
            return version;
        }

        public Path jar() {
            return ItEnv.path(property);
        }
    }

    private final ChildProcess process;

    private JavaApp(ChildProcess process) {
        this.process = process;
    }

    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    public ChildProcess process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public String stdout() {
        return process.stdout();
    }

    public String stderr() {
        return process.stderr();
    }

    public List<String> stdoutLines() {
        return process.stdoutLines();
    }

    public Matcher awaitLine(String regex, Duration timeout) {
        return process.awaitLine(regex, timeout);
    }

    public Matcher awaitLine(int from, String regex, Duration timeout) {
        return process.awaitLine(from, Pattern.compile(regex), timeout);
    }

    public void send(String line) {
        process.send(line);
    }

    public int waitFor(Duration timeout) {
        return process.waitFor(timeout);
    }

    public String describe() {
        return process.describe();
    }

    @Override
    public void close() {
        process.close();
    }

    /** Options for one child JVM. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private JInterface jinterface = JInterface.V1_13_1;
        private boolean agent = true;
        private String agentArgs;
        private boolean staticJar;
        private final List<String> hostJars = new ArrayList<>();
        private final List<String> firstJars = new ArrayList<>();
        private int openFileLimit;
        private Path agentJar = ItEnv.agentJar();
        private String label;
        private final List<String> commandPrefix = new ArrayList<>();
        private boolean hostsFile = true;
        private Path javaHome = Paths.get(System.getProperty("java.home"));
        private Path appJar;

        private Builder(String mainClass) {
            this.mainClass = mainClass.contains(".") ? mainClass : "io.srvepmd.it.app." + mainClass;
            this.label = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        }

        public Builder jinterface(JInterface version) {
            this.jinterface = version;
            return this;
        }

        /** Runs without {@code -javaagent} (baseline: stock JInterface). */
        public Builder withoutAgent() {
            this.agent = false;
            return this;
        }

        /** {@code -javaagent:AGENT=args}. */
        public Builder agentArgs(String agentArgs) {
            this.agentArgs = agentArgs;
            return this;
        }

        /** {@code -Dkey=value}. */
        public Builder property(String key, String value) {
            jvmOptions.add("-D" + key + "=" + value);
            return this;
        }

        /** Any other JVM option, such as {@code -Xmx96m} or {@code -XX:StartFlightRecording=...}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Sets (or, with null, removes) an environment variable of the child. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Puts the static resolver's jar on the application class path. */
        public Builder staticResolver() {
            this.staticJar = true;
            return this;
        }

        /** Uses this copy of the agent jar (for example renamed) instead of the build's. */
        public Builder agentJar(Path jar) {
            this.agentJar = jar;
            return this;
        }

        /** Adds jars of the host program (its own libraries) to the application class path. */
        public Builder hostJars(String... jars) {
            hostJars.addAll(List.of(jars));
            return this;
        }

        /**
         * Puts jars at the very front of the application class path, before the test
         * programs and JInterface (for example a doctored JInterface class that must win).
         */
        public Builder classPathFirst(String... jars) {
            firstJars.addAll(List.of(jars));
            return this;
        }

        /**
         * Starts the JVM under {@code ulimit -n limit} (soft and hard: the JVM raises its
         * soft limit to the hard one), through {@code bash -c 'ulimit -n N && exec java ...'},
         * so the pid is still the JVM's.
         */
        public Builder openFileLimit(int limit) {
            this.openFileLimit = limit;
            return this;
        }

        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** Runs the JVM behind {@code prefix}, e.g. {@code ip netns exec NS} (which execs: the pid stays the JVM's). */
        public Builder commandPrefix(List<String> prefix) {
            commandPrefix.clear();
            commandPrefix.addAll(prefix);
            return this;
        }

        /**
         * Lets the JDK's name service use the system resolver ({@code /etc/hosts}, {@code /etc/resolv.conf}) instead
         * of a hosts file holding only {@code localhost}: only for a child in a {@link NetLab} host whose
         * resolv.conf names the lab's DNS server, so that its questions cannot reach the machine's resolver.
         */
        public Builder systemResolver() {
            this.hostsFile = false;
            return this;
        }

        /** Names the output files ({@code LABEL.stdout}, {@code LABEL.stderr}). */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** Runs the child on another JDK than the tests' own. */
        public Builder jdk(Path home) {
            this.javaHome = home;
            return this;
        }

        /** The test programs from this jar instead of the classes directory (class-data archives need jars). */
        public Builder appJar(Path jar) {
            this.appJar = jar;
            return this;
        }

        private static Path hostsFile(Path dir) {
            Path hosts = dir.resolve("hosts");
            try {
                java.nio.file.Files.writeString(hosts, "127.0.0.1 localhost\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return hosts;
        }

        public JavaApp start() {
            Path dir = ItEnv.newDir("java-" + label);
            List<String> command = new ArrayList<>(commandPrefix);
            command.add(javaHome.resolve("bin").resolve("java").toString());
            if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:AOT"))) {
                command.add("-Xshare:auto"); // the JVM refuses it beside the AOT cache options
            }
            command.add("-XX:TieredStopAtLevel=1");
            if (hostsFile) {
                // The JDK's own name lookups read only this file: no question reaches the machine's resolver.
                command.add("-Djdk.net.hosts.file=" + hostsFile(dir));
            }
            if (agent) {
                command.add("-javaagent:" + agentJar + (agentArgs == null ? "" : "=" + agentArgs));
            }
            command.addAll(jvmOptions);
            List<String> classPath = new ArrayList<>(firstJars);
            classPath.add((appJar != null ? appJar : ItEnv.appClasses()).toString());
            classPath.add(jinterface.jar().toString());
            if (staticJar) {
                classPath.add(ItEnv.staticJar().toString());
            }
            classPath.addAll(hostJars);
            command.add("-cp");
            command.add(String.join(File.pathSeparator, classPath));
            command.add(mainClass);
            command.addAll(args);
            if (openFileLimit > 0) {
                List<String> wrapped = new ArrayList<>(List.of("bash", "-c",
                        "ulimit -n " + openFileLimit + " && exec \"$@\"", "bash"));
                wrapped.addAll(command);
                command = wrapped;
            }
            Map<String, String> environment = ChildProcess.cleanEnvironment();
            env.forEach((k, v) -> {
                if (v == null) {
                    environment.remove(k);
                } else {
                    environment.put(k, v);
                }
            });
            try {
                return new JavaApp(new ChildProcess(label, command, environment, dir));
            } catch (IOException e) {
                throw new AssertionError("cannot start " + command + ": " + e, e);
            }
        }
    }
}
