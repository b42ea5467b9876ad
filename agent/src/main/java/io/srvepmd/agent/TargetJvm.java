package io.srvepmd.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
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
