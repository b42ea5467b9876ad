package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.ChildProcess;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import java.io.File;
import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's command line, {@code java -jar srv-epmd-agent.jar ...}, resolves
 * and lists with the same settings and resolvers as the agent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandLineTest extends ItBase {

    @Test
    void resolvePrintsCandidatesInConnectOrder() {
        DnsServer dns = track(DnsServer.create().domain("svc.test")
                .srv("node-0.svc.test", "host-b.svc.test", 4371, 10, 0)
                .srv("node-0.svc.test", "host-a.svc.test", 4370, 0, 0)
                .host("host-a.svc.test", "127.0.0.1").host("host-b.svc.test", "127.0.0.2").start());
        Cli cli = cli(List.of("-jar", ItEnv.agentJar().toString()),
                "dns.servers=" + dns.address(), "resolve", "node-0@svc.test", "ghost@svc.test");

        assertEquals(1, cli.status, cli.process.describe()); // one of the two nodes does not exist
        String out = cli.process.stdout();
        assertTrue(out.contains("node-0@svc.test: SRV node-0.svc.test via " + dns.address()), out);
        assertTrue(out.contains("connect order [127.0.0.1:4370, 127.0.0.2:4371]"), out);
        assertTrue(cli.process.stderr().contains("ghost@svc.test: srv-epmd: cannot resolve node ghost@svc.test"
                + " with resolver dns-srv: SRV ghost.svc.test for node ghost@svc.test: NXDOMAIN"),
                cli.process.describe());
    }

    @Test
    void staticResolverFromItsJarAndSettingsReport() {
        List<String> cp = List.of("-cp", ItEnv.agentJar() + File.pathSeparator + ItEnv.staticJar(),
                "io.srvepmd.agent.Cli");
        Cli resolve = cli(cp, "resolvers=static", "static.nodes=db@svc.test=10.0.0.7:4370", "resolve", "db@svc.test");
        assertEquals(0, resolve.status, resolve.process.describe());
        assertTrue(resolve.process.stdout().contains("candidate 10.0.0.7:4370"), resolve.process.describe());

        Cli settings = cli(cp, "resolvers=static", "static.nodes=db@svc.test=10.0.0.7:4370", "settings");
        assertEquals(0, settings.status, settings.process.describe());
        assertTrue(settings.process.stdout().contains("static.nodes=db@svc.test=10.0.0.7:4370  (agent argument"
                + " static.nodes)"), settings.process.describe());
    }

    @Test
    void configurationErrorExits78() {
        Cli cli = cli(List.of("-jar", ItEnv.agentJar().toString()), "dns.timout=1s", "settings");
        assertEquals(78, cli.status, cli.process.describe());
        assertTrue(cli.process.stderr().startsWith("srv-epmd: configuration error: unknown setting agent argument"
                + " dns.timout='1s'"), cli.process.describe());
    }

    private Cli cli(List<String> launch, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch);
        command.addAll(List.of(args));
        try {
            Cli cli = new Cli(track(new Process(command)));
            cli.status = cli.process.waitFor(Duration.ofSeconds(30));
            return cli;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + ": " + e, e);
        }
    }

    private static final class Cli {
        final Process process;
        int status;

        Cli(Process process) {
            this.process = process;
        }
    }

    private static final class Process extends ChildProcess {
        Process(List<String> command) throws IOException {
            super("cli", command, ChildProcess.cleanEnvironment(), ItEnv.newDir("cli"));
        }
    }
}
