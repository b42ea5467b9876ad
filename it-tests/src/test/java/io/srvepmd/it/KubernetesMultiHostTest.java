package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.ChildProcess;
import io.srvepmd.it.support.EpmdWatch;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.KubeManifest;
import io.srvepmd.it.support.LabDns;
import io.srvepmd.it.support.NetLab;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.Steps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kubernetes deployment of {@code deploy/kubernetes/erlang-cluster.yaml}
 * on several hosts. Each pod is a network namespace with its own 198.18.x.y
 * address on one bridge and a pod's {@code /etc/resolv.conf} (cluster DNS,
 * search path {@code default.svc.cluster.local svc.cluster.local cluster.local},
 * {@code ndots:5}); a DNS server in its own namespace serves, on port 53, the
 * records the cluster DNS serves for the file's headless Service and
 * StatefulSets (derived from the file: per-pod A records
 * {@code app-N.app.default.svc.cluster.local}, the Service's A record, SRV
 * {@code _epmd._tcp.app.default.svc.cluster.local}). Every node listens on 4370
 * of its pod. Erlang pods run the file's {@code erl} arguments (OTP's own
 * epmd-less mode, the system resolver); the Java pod runs with the file's
 * environment ({@code ERL_DIST_PORT}, {@code SRVEPMD_RESOLVERS=static},
 * {@code SRVEPMD_STATIC_NODES=*@*.svc.cluster.local=:4370}) and node name, the
 * agent and the static resolver's jar, and the JDK's own resolver (the pod's
 * resolv.conf).
 *
 * <p>Pods find each other on OTP 25 and 27 (OTP's epmd-less mode is the
 * release's own code; the Java pod runs the JInterface of that release); the
 * recreated pod, a question of the agent's connection attempts, on OTP 25.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KubernetesMultiHostTest extends ItBase {

    static final String ERLANG_STS = "app";
    static final String JAVA_STS = "java";
    static final String SERVICE = "app";
    static final int DIST_PORT = 4370;
    static final String CLUSTER_DNS = "198.18.0.10";

    private KubeManifest manifest;
    private NetLab lab;
    private LabDns clusterDns;
    /** Pod name -> address, for the records. */
    private final Map<String, String> podAddresses = new LinkedHashMap<>();

    @BeforeEach
    void lab() {
        NetLab.assumeAvailable();
        manifest = KubeManifest.read(ItEnv.deploy().resolve("kubernetes/erlang-cluster.yaml"));
        lab = track(NetLab.create());
        clusterDns = track(LabDns.on(lab.host("kube-dns", CLUSTER_DNS), 53).domain(KubeManifest.ZONE));
        // Every pod of the file has an address (and so records), as with publishNotReadyAddresses: true.
        int i = 0;
        for (String pod : manifest.podNames(ERLANG_STS)) {
            podAddresses.put(pod, "198.18.1." + (10 + i++));
        }
        i = 0;
        for (String pod : manifest.podNames(JAVA_STS)) {
            podAddresses.put(pod, "198.18.1." + (100 + i++));
        }
    }

    @OnEachOtp
    void erlangAndJavaPodsFindEachOtherThroughTheirPodDnsNames(Otp otp) {
        NetLab.Host app0 = pod(ERLANG_STS, 0);
        NetLab.Host app1 = pod(ERLANG_STS, 1);
        NetLab.Host java0 = pod(JAVA_STS, 0);
        serveRecords();
        clusterDns.start();
        CompletableFuture<ErlangNode> erl0 = CompletableFuture.supplyAsync(() -> erlang(otp, 0, app0));
        ErlangNode erl1 = erlang(otp, 1, app1);
        String app0Node = erl0.join().name();
        assertEquals("app@" + manifest.podDnsName(ERLANG_STS, 0), app0Node, "node name from the file's args");

        String javaNode = javaEnv(0).get("NODE_NAME");
        assertEquals("java@" + manifest.podDnsName(JAVA_STS, 0), javaNode, "node name from the file's env");
        JavaApp java = track(javaPod("NodeMain", java0).jinterface(otp.jinterface()).args(javaNode, COOKIE,
                "ping:" + app0Node, "echo:" + app0Node, "rpc-node:" + app0Node, "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", Duration.ofSeconds(30));
        List<String> lines = java.stdoutLines();
        assertTrue(lines.contains("NODE " + javaNode + " PORT " + DIST_PORT), java.describe());
        assertTrue(lines.contains("PING " + app0Node + " ok"), java.describe());
        assertTrue(lines.contains("ECHO hello FROM " + app0Node), java.describe());
        assertTrue(lines.contains("RPC erlang:node() = '" + app0Node + "'"), java.describe());
        assertTrue(EpmdWatch.listeningIn(java.pid(), DIST_PORT), "the Java node listens on port 4370 of its pod");

        // Erlang -> Java: app-1 (no connection to the Java node yet) resolves java-0's pod name, port 4370.
        assertEquals("{ok,<<\"hello\">>}", erl1.sendAndAwaitReply(javaNode, "inbox", "hello"), java.describe());
        java.awaitLine("SERVED", Duration.ofSeconds(10));
        assertTrue(java.stdoutLines().contains("GOT hello FROM " + erl1.name()), java.describe());
        assertTrue(erl1.ping(app0Node), erl1.process().describe());

        assertEquals(0, java.waitFor(Duration.ofSeconds(20)), java.describe());
        assertAgentSilent(java);
        assertTrue(clusterDns.queries(manifest.podDnsName(ERLANG_STS, 0), "A", java0.address()) >= 1,
                "the Java pod asked for app-0's A record: " + clusterDns.queryLog());
        assertTrue(clusterDns.queries(manifest.podDnsName(JAVA_STS, 0), "A", app1.address()) >= 1,
                "app-1 asked for java-0's A record: " + clusterDns.queryLog());
    }

    /**
     * Pod app-0 is deleted and recreated by its StatefulSet: same name, new IP. The node stops, its
     * pod's namespace goes, the A record changes, and app-0 starts at the new address. The Java pod,
     * which talked to app-0 before, must reach it again by its second connection attempt.
     *
     * <p>Known to fail until the static resolver looks host names up through the agent instead of
     * {@code InetAddress}: the JDK caches the old address for 30 s (networkaddress.cache.ttl), so both
     * attempts go to the old address.
     */
    @Test
    void javaReachesAPodRecreatedAtANewAddressByTheSecondAttempt() {
        NetLab.Host app0 = pod(ERLANG_STS, 0);
        NetLab.Host java0 = pod(JAVA_STS, 0);
        serveRecords();
        clusterDns.start();
        ErlangNode before = erlang(Otp.otp25(), 0, app0);
        String app0Node = before.name();
        JavaApp java = track(javaPod("ResolveMain", java0)
                .args(COOKIE, "connect:" + app0Node, "await", "connect:" + app0Node, "connect:" + app0Node).start());
        Steps.Connect first = Steps.awaitConnect(java, 0, Duration.ofSeconds(30));
        assertTrue(first.ok, "first contact: " + java.describe());
        java.awaitLine("AWAITING", Duration.ofSeconds(10));

        before.close();
        lab.remove(app0);
        podAddresses.put(ERLANG_STS + "-0", "198.18.2.10");
        NetLab.Host app0New = pod(ERLANG_STS, 0, "app-0-new");
        serveRecords();
        clusterDns.restart();
        erlang(Otp.otp25(), 0, app0New);
        java.send("go");

        Steps.Connect attempt1 = Steps.awaitConnect(java, 1, Duration.ofSeconds(30));
        Steps.Connect attempt2 = Steps.awaitConnect(java, 2, Duration.ofSeconds(30));
        assertTrue(attempt2.ok, "the Java pod reaches app-0 at its new address " + app0New.address()
                + " by its second attempt; attempt 1: " + attempt1 + "; attempt 2: " + attempt2 + "\n"
                + clusterDns.queryLog() + java.describe());
        assertEquals(0, java.waitFor(Duration.ofSeconds(20)), java.describe());
    }

    /** A pod's network namespace, with the resolv.conf and hosts file a kubelet writes. */
    private NetLab.Host pod(String statefulSet, int ordinal) {
        return pod(statefulSet, ordinal, statefulSet + "-" + ordinal);
    }

    private NetLab.Host pod(String statefulSet, int ordinal, String hostName) {
        String podName = statefulSet + "-" + ordinal;
        String fqdn = manifest.podDnsName(statefulSet, ordinal);
        String ns = KubeManifest.namespace(manifest.object("StatefulSet", statefulSet));
        NetLab.Host host = lab.host(hostName, podAddresses.get(podName));
        host.resolvConf("search " + ns + ".svc." + KubeManifest.ZONE + " svc." + KubeManifest.ZONE + " "
                + KubeManifest.ZONE + "\nnameserver " + CLUSTER_DNS + "\noptions ndots:5\n");
        host.hostsFile("127.0.0.1\tlocalhost\n" + host.address() + "\t" + fqdn + "\t" + podName + "\n");
        return host;
    }

    /** The cluster DNS's records for the file's headless Service and StatefulSets, from podAddresses. */
    @SuppressWarnings("unchecked")
    private void serveRecords() {
        clusterDns.clearRecords();
        Map<String, Object> service = manifest.object("Service", SERVICE);
        List<String> all = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String sts : List.of(ERLANG_STS, JAVA_STS)) {
            List<String> pods = manifest.podNames(sts);
            for (int i = 0; i < pods.size(); i++) {
                String address = podAddresses.get(pods.get(i));
                clusterDns.host(manifest.podDnsName(sts, i), address);
                all.add(address);
                targets.add(manifest.podDnsName(sts, i));
            }
        }
        clusterDns.host(manifest.serviceDnsName(SERVICE), all.toArray(new String[0]));
        for (Object p : (List<Object>) KubeManifest.get(service, "spec", "ports")) {
            Map<String, Object> port = (Map<String, Object>) p;
            String srv = "_" + port.get("name") + "._" + port.getOrDefault("protocol", "TCP").toString().toLowerCase()
                    + "." + manifest.serviceDnsName(SERVICE);
            for (String target : targets) {
                clusterDns.srv(srv, target, ((Number) port.get("port")).intValue(), 0, 100 / targets.size());
            }
        }
    }

    /**
     * Pod {@code ordinal} of the Erlang StatefulSet: the file's erl command (the {@code erl} of release
     * {@code otp}) and args, plus the test fixture.
     */
    private ErlangNode erlang(Otp otp, int ordinal, NetLab.Host host) {
        Map<String, String> podEnv = manifest.environment(ERLANG_STS, ordinal);
        List<String> command = new ArrayList<>(manifest.expandedList(ERLANG_STS, "command", podEnv));
        assertEquals("erl", command.get(0), "the file's command");
        command.set(0, otp.erl().toString());
        command.addAll(manifest.expandedList(ERLANG_STS, "args", podEnv));
        int name = command.indexOf("-name");
        String node = command.get(name + 1);
        int cookie = command.indexOf("-setcookie");
        command.set(cookie + 1, COOKIE); // the tests' cookie instead of the Secret's placeholder
        command.addAll(List.of("-pa", ItEnv.ebin(otp).toString(), "-run", "it_node", "main"));
        Path dir = ItEnv.newDir("erl-" + host.name());
        Map<String, String> env = ChildProcess.cleanEnvironment();
        env.put("HOME", dir.toString());
        return track(ErlangNode.launch(node, DIST_PORT, host.exec(command), env, dir));
    }

    /** Pod {@code ordinal} of the Java StatefulSet's environment, as the kubelet gives it. */
    private Map<String, String> javaEnv(int ordinal) {
        return manifest.environment(JAVA_STS, ordinal);
    }

    /** The Java pod: agent + static jar, the file's SRVEPMD_* and ERL_DIST_PORT, the system resolver. */
    private JavaApp.Builder javaPod(String main, NetLab.Host host) {
        JavaApp.Builder b = JavaApp.builder(main).label(main + "-" + host.name()).commandPrefix(host.execPrefix())
                .staticResolver().systemResolver();
        javaEnv(0).forEach((k, v) -> {
            if (k.startsWith("SRVEPMD_") || k.equals("ERL_DIST_PORT")) {
                b.env(k, v);
            }
        });
        return b;
    }
}
