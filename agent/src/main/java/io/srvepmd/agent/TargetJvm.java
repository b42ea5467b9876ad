package io.srvepmd.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A running JVM the command line attached to with the JDK's Attach API
 * ({@code status}, {@code attach}): its system properties, loading the agent
 * into it, and a JMX connection to its platform MBean server. Command line only:
 * it needs the {@code jdk.attach} module, which a JDK has and a trimmed runtime
 * may not.
 */
final class TargetJvm implements AutoCloseable {

    /** A failure the command line reports with one message and an exit status. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Failure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    final String pid;
    private final VirtualMachine vm;
    private JMXConnector jmx;

    private TargetJvm(String pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /**
     * @param pid the process id, digits
     * @throws Failure (status 1) if it is not a JVM this user may attach to
     */
    static TargetJvm attach(String pid) throws Failure {
        try {
            if (Long.parseLong(pid) == ProcessHandle.current().pid()) {
                throw new Failure(Cli.USAGE, "pid " + pid + " is this command itself; give the pid of the JVM"
                        + " to look at (jps -l lists them)");
            }
            refuseUnlessJvm(pid);
            return new TargetJvm(pid, VirtualMachine.attach(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new Failure(Cli.FAILED, "cannot attach to pid " + pid + ": " + e.getMessage()
                    + " (the Attach API reaches only running JVMs of the same user, started without"
                    + " -XX:+DisableAttachMechanism; jps -l lists them)");
        } catch (NoClassDefFoundError e) {
            throw new Failure(Cli.FAILED, "this Java runtime has no Attach API (module jdk.attach, "
                    + e.getMessage() + "); run the command with a JDK's java");
        }
    }

    /**
     * The Attach API starts a HotSpot JVM's attach listener with SIGQUIT, and JDK 17 sends it to
     * whatever process the pid names, and one that does not catch it (most programs) ends. So
     * nothing is attached to unless it is
     * known to be a JVM that catches SIGQUIT, or whose listener already runs (then no signal is sent).
     */
    private static void refuseUnlessJvm(String pid) throws Failure {
        long id = Long.parseLong(pid);
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(id);
        if (process.isEmpty()) {
            throw new Failure(Cli.FAILED, "no process has pid " + pid + " (jps -l lists the JVMs)");
        }
        String command = process.get().info().command().orElse("?");
        Path proc = Paths.get("/proc", pid);
        List<String> maps;
        String status;
        try {
            maps = Files.readAllLines(proc.resolve("maps"), StandardCharsets.ISO_8859_1);
            status = new String(Files.readAllBytes(proc.resolve("status")), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            // No /proc to read (not Linux, or not ours): trust only the JVMs the JDK itself lists.
            for (VirtualMachineDescriptor d : VirtualMachine.list()) {
                if (d.id().equals(pid)) {
                    return;
                }
            }
            throw new Failure(Cli.FAILED, "pid " + pid + " (" + command + ") is not a JVM this user can attach to"
                    + " (jps -l lists those); not attaching, since the Attach API signals the process");
        }
        boolean jvm = false;
        for (String line : maps) {
            if (line.endsWith("/libjvm.so")) {
                jvm = true;
                break;
            }
        }
        if (!jvm) {
            throw new Failure(Cli.FAILED, "pid " + pid + " (" + command + ") is not a Java VM (no libjvm.so in its"
                    + " memory map); not attaching: the Attach API would send it SIGQUIT, which ends most programs."
                    + " jps -l lists the JVMs");
        }
        boolean listening = Files.exists(proc.resolve("root").resolve("tmp").resolve(".java_pid" + pid))
                || Files.exists(Paths.get(System.getProperty("java.io.tmpdir"), ".java_pid" + pid));
        if (!listening && !catchesSigquit(status)) {
            throw new Failure(Cli.FAILED, "pid " + pid + " is a JVM that neither catches SIGQUIT nor runs an attach"
                    + " listener; not attaching: the Attach API would start the listener with SIGQUIT, which would"
                    + " end it");
        }
    }

    /** @return whether /proc/PID/status says the process catches SIGQUIT (signal 3: bit 2 of SigCgt) */
    static boolean catchesSigquit(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("SigCgt:")) {
                return (new java.math.BigInteger(line.substring("SigCgt:".length()).trim(), 16).longValue() & 4) != 0;
            }
        }
        return true; // no such line: let the JDK decide
    }

    /** @return the target's system properties now */
    Properties systemProperties() throws Failure {
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw new Failure(Cli.FAILED, "cannot read the system properties of pid " + pid + ": " + e);
        }
    }

    /** @return the target's agent properties ({@code sun.jvm.args}, ...) */
    Properties agentProperties() throws Failure {
        try {
            return vm.getAgentProperties();
        } catch (IOException e) {
            throw new Failure(Cli.FAILED, "cannot read the agent properties of pid " + pid + ": " + e);
        }
    }

    /**
     * Loads a Java agent jar; returns once its {@code agentmain} has returned.
     *
     * @return null, or the JDK's own account of a failure (the agent's own goes to system properties)
     */
    String loadAgent(String jar, String options) throws Failure {
        try {
            vm.loadAgent(jar, options);
            return null;
        } catch (AgentInitializationException e) {
            return "the agent failed to initialize (agentmain returned " + e.returnValue() + ")";
        } catch (AgentLoadException | IOException e) {
            return e.toString();
        }
    }

    /**
     * Starts the target's local JMX agent if it does not run (as jconsole does: local connections
     * only; this also creates its platform MBean server) and connects to it.
     */
    MBeanServerConnection jmx() throws Failure {
        try {
            String address = vm.startLocalManagementAgent();
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
            return jmx.getMBeanServerConnection();
        } catch (IOException | RuntimeException e) {
            throw new Failure(Cli.FAILED, "cannot connect to the JMX agent of pid " + pid + ": " + e);
        }
    }

    @Override
    public void close() {
        try {
            if (jmx != null) {
                jmx.close();
            }
        } catch (IOException e) {
            // the target may be gone; nothing to do
        }
        try {
            vm.detach();
        } catch (IOException e) {
            // idem
        }
    }

    /** @return a short description of the target: its Java version and main class */
    static String describe(Properties p) {
        String command = p.getProperty("sun.java.command", "");
        int space = command.indexOf(' ');
        return "Java " + p.getProperty("java.version", "?") + ", "
                + (command.isEmpty() ? "main unknown" : "main " + (space < 0 ? command : command.substring(0, space)));
    }
}
