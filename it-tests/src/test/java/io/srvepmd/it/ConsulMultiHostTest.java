package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.EpmdWatch;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.LabDns;
import io.srvepmd.it.support.NetLab;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.Steps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Nomad + Consul deployment of {@code deploy/nomad/erlang-cluster.nomad.hcl}
 * on several hosts: each Nomad client is a network namespace with its own
 * 198.18.x.y address on one bridge, every node (Erlang or Java) listens on port
 * 4370 of its own host ({@code ERL_DIST_PORT} from the job's static port), and a
 * DNS server answers as Consul's DNS interface does for the job's services:
 * SRV {@code <alive>.my-svc.service.consul} (a service tag per allocation)
 * whose target is the Nomad client's Consul node name
 * {@code client-N.node.dc1.consul}, port 4370, with that node's address in the
 * additional section; TTL 0. The Java task runs with the agent configured as
 * the job's {@code env} block does ({@code SRVEPMD_DNS_SERVERS} = Consul's DNS
 * port, 8600). Erlang tasks use the SRV epmd module of the tests
 * ({@code srv_epmd}), the same lookup {@code DynamicSrv.Epmd} does.
 *
 * <p>The nodes find each other on OTP 25 and 27 (the Java task on the JInterface
 * of that release); the rescheduled allocation, a question of the agent's
 * connection attempts, on OTP 25.
 *
 * <p>{@link NomadJobValidationTest} checks that the job file asks for exactly
 * these names, tags, ports and settings.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsulMultiHostTest extends ItBase {

    /** The Consul service every task registers; its tags are the nodes' alive names. */
    static final String SERVICE = "my-svc";
    static final String DOMAIN = SERVICE + ".service.consul";
    static final int DIST_PORT = 4370;
    static final int CONSUL_DNS_PORT = 8600;
    static final String ERL0 = "erl-0@" + DOMAIN;
    static final String ERL1 = "erl-1@" + DOMAIN;
    static final String JAVA = "java-0@" + DOMAIN;

    private NetLab lab;
    private LabDns consul;

    @BeforeEach
    void lab() {
        NetLab.assumeAvailable();
        lab = track(NetLab.create());
        consul = track(LabDns.on(lab.host("consul", "198.18.0.2"), CONSUL_DNS_PORT).domain("consul"));
    }

    @OnEachOtp
    void erlangAndJavaNodesOnTheirOwnHostsFindEachOtherThroughConsulSrvRecords(Otp otp) {
        NetLab.Host client1 = lab.host("client-1", "198.18.1.1");
        NetLab.Host client2 = lab.host("client-2", "198.18.1.2");
        NetLab.Host client3 = lab.host("client-3", "198.18.1.3");
        register(ERL0, client1);
        register(ERL1, client2);
        register(JAVA, client3);
        consul.start();
        CompletableFuture<ErlangNode> erl0 = CompletableFuture.supplyAsync(() -> erlang(otp, ERL0, client1));
        ErlangNode erl1 = erlang(otp, ERL1, client2);
        erl0.join();

        // Java -> Erlang: ping, a message round trip and rpc, erl-0 found through SRV only.
        JavaApp java = track(javaTask("NodeMain", client3).jinterface(otp.jinterface()).args(JAVA, COOKIE,
                "ping:" + ERL0, "echo:" + ERL0, "rpc-node:" + ERL0, "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", Duration.ofSeconds(30));
        List<String> lines = java.stdoutLines();
        assertTrue(lines.contains("NODE " + JAVA + " PORT " + DIST_PORT), java.describe());
        assertTrue(lines.contains("PING " + ERL0 + " ok"), java.describe());
        assertTrue(lines.contains("ECHO hello FROM " + ERL0), java.describe());
        assertTrue(lines.contains("RPC erlang:node() = '" + ERL0 + "'"), java.describe());
        assertTrue(EpmdWatch.listeningIn(java.pid(), DIST_PORT), "the Java node listens on port 4370 of its host");

        // Erlang -> Java: erl-1 (which has not talked to the Java node) finds it through SRV and messages it.
        assertEquals("{ok,<<\"hello\">>}", erl1.sendAndAwaitReply(JAVA, "inbox", "hello"), java.describe());
        java.awaitLine("SERVED", Duration.ofSeconds(10));
        assertTrue(java.stdoutLines().contains("GOT hello FROM " + ERL1), java.describe());
        // Erlang <-> Erlang in the same DNS shape.
        assertTrue(erl1.ping(ERL0), erl1.process().describe());

        assertEquals(0, java.waitFor(Duration.ofSeconds(20)), java.describe());
        assertAgentSilent(java);
        assertTrue(consul.queries("erl-0." + DOMAIN, "SRV", client3.address()) >= 1,
                "the Java host asked Consul for SRV erl-0." + DOMAIN + ": " + consul.queryLog());
        assertTrue(consul.queries("java-0." + DOMAIN, "SRV", client2.address()) >= 1,
                "erl-1's host asked Consul for SRV java-0." + DOMAIN + ": " + consul.queryLog());
    }

    /**
     * The allocation of erl-0 is rescheduled to another Nomad client: the node stops, its host
     * disappears, Consul's SRV record now names the new client (another node name, another address),
     * and erl-0 starts there. The Java task's agent holds the old answer (here for a minute,
     * {@code dns.min-ttl=1m}, the worst case); it reaches the moved node by its second connection
     * attempt: the first goes to the old address and fails, which drops the cached answer.
     */
    @Test
    void javaReachesAnErlangNodeRescheduledToAnotherClientByTheSecondAttempt() {
        NetLab.Host client1 = lab.host("client-1", "198.18.1.1");
        NetLab.Host client3 = lab.host("client-3", "198.18.1.3");
        register(ERL0, client1);
        register(JAVA, client3);
        consul.start();
        ErlangNode before = erlang(Otp.otp25(), ERL0, client1);
        JavaApp java = track(javaTask("ResolveMain", client3).env("SRVEPMD_DNS_MIN_TTL", "1m")
                .args(COOKIE, "connect:" + ERL0, "await", "connect:" + ERL0, "connect:" + ERL0).start());
        Steps.Connect first = Steps.awaitConnect(java, 0, Duration.ofSeconds(30));
        assertTrue(first.ok, "first contact: " + java.describe());
        java.awaitLine("AWAITING", Duration.ofSeconds(10));

        before.close();
        lab.remove(client1);
        NetLab.Host client4 = lab.host("client-4", "198.18.1.4");
        consul.clearRecords();
        register(ERL0, client4);
        register(JAVA, client3);
        consul.restart();
        erlang(Otp.otp25(), ERL0, client4);
        int asked = consul.queries("erl-0." + DOMAIN, "SRV", client3.address());
        java.send("go");

        Steps.Connect attempt1 = Steps.awaitConnect(java, 1, Duration.ofSeconds(30));
        Steps.Connect attempt2 = Steps.awaitConnect(java, 2, Duration.ofSeconds(30));
        assertTrue(attempt2.ok, "the Java side reaches erl-0 on client-4 (" + client4.address()
                + ") by its second attempt; attempt 1: " + attempt1 + "; attempt 2: " + attempt2 + "\n"
                + consul.queryLog() + java.describe());
        assertTrue(consul.queries("erl-0." + DOMAIN, "SRV", client3.address()) > asked,
                "asked Consul again after the move: " + consul.queryLog());
        assertEquals(0, java.waitFor(Duration.ofSeconds(20)), java.describe());
    }

    /** Consul's answer for the node's service instance: SRV alive.my-svc.service.consul -> client's node name. */
    private void register(String node, NetLab.Host client) {
        String alive = node.substring(0, node.indexOf('@'));
        String target = client.name() + ".node.dc1.consul";
        consul.srv(alive + "." + DOMAIN, target, DIST_PORT, 1, 1).host(target, client.address());
    }

    /** The job's Erlang task (OTP {@code otp}): epmd-less, ERL_DIST_PORT from the Nomad port, SRV lookups to Consul. */
    private ErlangNode erlang(Otp otp, String name, NetLab.Host client) {
        Path dir = ItEnv.newDir("erl-" + client.name());
        Map<String, String> env = io.srvepmd.it.support.ChildProcess.cleanEnvironment();
        env.put("ERL_DIST_PORT", Integer.toString(DIST_PORT));
        env.put("ERL_INETRC", consul.erlangInetrc(dir).toString());
        env.put("HOME", dir.toString());
        List<String> command = client.exec(List.of(otp.erl().toString(), "-noshell", "-name", name, "-setcookie",
                COOKIE, "-start_epmd", "false", "-epmd_module", "srv_epmd", "-pa", ItEnv.ebin(otp).toString(),
                "-run", "it_node", "main"));
        return track(ErlangNode.launch(name, DIST_PORT, command, env, dir));
    }

    /** The job's Java task: the agent, ERL_DIST_PORT from the Nomad port, SRVEPMD_DNS_SERVERS = Consul DNS. */
    private JavaApp.Builder javaTask(String main, NetLab.Host client) {
        return JavaApp.builder(main).label(main + "-" + client.name()).commandPrefix(client.execPrefix())
                .env("ERL_DIST_PORT", Integer.toString(DIST_PORT)).env("SRVEPMD_DNS_SERVERS", consul.address());
    }
}
