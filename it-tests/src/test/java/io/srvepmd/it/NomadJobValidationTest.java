package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.srvepmd.it.support.Command;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validates {@code deploy/nomad/erlang-cluster.nomad.hcl} offline with
 * {@code deploy/validate/validate-nomad.mjs} (HashiCorp's HCL2 parser built to
 * WebAssembly, a JSON Schema of the jobspec blocks with every attribute
 * Nomad's decoder accepts there, and the submit-time rules for what the job
 * uses; installed by scripts/ensure-packages.sh from the npm registry, run
 * without network), then checks that the job asks of Consul exactly the DNS
 * shape {@link ConsulMultiHostTest} serves and the settings it runs with, and
 * that the agent accepts the Java task's settings. Each validator step is also
 * shown to reject a broken copy of the job.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NomadJobValidationTest extends ItBase {

    private static Path job() {
        return ItEnv.deploy().resolve("nomad/erlang-cluster.nomad.hcl");
    }

    @Test
    void theJobIsValidAndAsksForTheDnsShapeTheMultiHostTestServes() {
        Command v = validate(job());
        assertEquals(0, v.waitFor(Duration.ofSeconds(30)), v.describe());
        JsonObject summary = JsonParser.parseString(v.stdout()).getAsJsonObject();
        assertTrue(summary.get("distinctHosts").getAsBoolean(), "one node per client (static port): " + summary);

        List<String> nodes = new ArrayList<>();
        for (JsonElement g : summary.getAsJsonArray("groups")) {
            JsonObject group = g.getAsJsonObject();
            String name = group.get("name").getAsString();
            JsonArray services = group.getAsJsonArray("services");
            assertEquals(1, services.size(), name + ": one service per group: " + group);
            JsonObject service = services.get(0).getAsJsonObject();
            assertEquals(ConsulMultiHostTest.SERVICE, service.get("name").getAsString(), name);
            assertEquals(ConsulMultiHostTest.DIST_PORT, service.get("portNumber").getAsInt(),
                    name + ": the service publishes the static port 4370");
            String label = service.get("port").getAsString();
            JsonArray tags = service.getAsJsonArray("tags");
            assertEquals(1, tags.size(), name + ": one tag, the alive name: " + service);
            String alive = tags.get(0).getAsString();
            // Consul serves SRV <tag>.<service>.service.consul: the node's name must be <tag>@<service>.service.consul.
            String node = alive + "@" + ConsulMultiHostTest.DOMAIN;
            nodes.add(node.replace("${NOMAD_ALLOC_INDEX}", "0"));
            JsonObject task = group.getAsJsonArray("tasks").get(0).getAsJsonObject();
            JsonObject env = task.getAsJsonObject("env");
            assertEquals("${NOMAD_PORT_" + label + "}", env.get("ERL_DIST_PORT").getAsString(),
                    name + ": ERL_DIST_PORT is the service's Nomad port");
            List<String> args = strings(task.getAsJsonArray("args"));
            if (task.get("driver").getAsString().equals("java")) {
                assertTrue(args.contains(node), name + ": the program's node name is " + node + ": " + args);
                assertTrue(strings(task.getAsJsonArray("jvmOptions")).stream().anyMatch(o -> o.startsWith("-javaagent:")
                        && o.endsWith("srv-epmd-agent.jar")), name + ": runs with the agent: " + task);
                assertEquals("127.0.0.1:" + ConsulMultiHostTest.CONSUL_DNS_PORT, env.get("SRVEPMD_DNS_SERVERS")
                        .getAsString(), name + ": the agent asks the local Consul agent's DNS port");
            } else {
                int n = args.indexOf("-name");
                assertTrue(n >= 0 && args.get(n + 1).equals(node), name + ": -name " + node + ": " + args);
                assertTrue(String.join(" ", args).contains("-start_epmd false -epmd_module srv_epmd"),
                        name + ": epmd-less with the SRV epmd module: " + args);
                String inetrc = env.get("ERL_INETRC").getAsString();
                boolean consulDns = false;
                for (JsonElement t : task.getAsJsonArray("templates")) {
                    JsonObject template = t.getAsJsonObject();
                    consulDns |= inetrc.endsWith("/" + template.get("destination").getAsString().replaceFirst(
                            "^local/", "")) && template.get("data").getAsString().contains(
                                    "{nameserver, {127,0,0,1}, " + ConsulMultiHostTest.CONSUL_DNS_PORT + "}.");
                }
                assertTrue(consulDns, name + ": ERL_INETRC names the local Consul agent's DNS port: " + task);
            }
        }
        assertEquals(List.of(ConsulMultiHostTest.ERL0, ConsulMultiHostTest.JAVA), nodes,
                "allocation 0 of each group is the node the multi-host test runs");
    }

    @Test
    void theValidatorRejectsBrokenJobs(@TempDir Path tmp) throws IOException {
        String text = Files.readString(job());
        assertRejected(tmp, "syntax", text.replaceFirst("\n    }\n", "\n"), "HCL syntax");
        assertRejected(tmp, "attribute", text.replace("tags = [\"erl-", "tag = [\"erl-"), "'tag' is not a Nomad");
        assertRejected(tmp, "driver-config", text.replace("jar_path    =", "jar        ="), "'jar' is not a Nomad");
        assertRejected(tmp, "type", text.replace("static = 4370", "static = \"4370\""), "must be integer");
        assertRejected(tmp, "service-port", text.replaceFirst("port = \"dist\"", "port = \"distt\""),
                "port \"distt\" is not a port label");
        assertRejected(tmp, "port-ref", text.replace("NOMAD_PORT_dist", "NOMAD_PORT_dsit"),
                "names port label \"dsit\"");
        assertRejected(tmp, "runtime-variable", text.replace("NOMAD_ALLOC_INDEX}@", "NOMAD_ALOC_INDEX}@"),
                "not a Nomad runtime variable");
        assertRejected(tmp, "distinct", text.replace("operator = \"distinct_hosts\"", "operator = \"distinct_property\""),
                "distinct_hosts");
    }

    /** The agent itself accepts the Java task's SRVEPMD_* settings (exit 0, not 78). */
    @Test
    void theAgentAcceptsTheJavaTasksSettings() {
        Command cli = track(Command.start("cli-nomad", List.of(Command.java(), "-jar", ItEnv.agentJar().toString(),
                "settings"), Map.of("SRVEPMD_DNS_SERVERS", "127.0.0.1:" + ConsulMultiHostTest.CONSUL_DNS_PORT)));
        assertEquals(0, cli.waitFor(Duration.ofSeconds(30)), cli.describe());
        assertTrue(cli.stdout().contains("dns.servers=127.0.0.1:8600"), cli.describe());
    }

    private Command validate(Path file) {
        Path dir = ItEnv.deploy().resolve("validate");
        assertTrue(Files.isDirectory(dir.resolve("node_modules/@cdktf/hcl2json")) && Files.isDirectory(dir.resolve(
                "node_modules/ajv")), "the validator's npm packages are not installed in " + dir
                + ": run bash scripts/ensure-packages.sh (npm ci there); the test command does it");
        return track(Command.start("validate-nomad", List.of("node", dir.resolve("validate-nomad.mjs").toString(),
                file.toString()), Map.of()));
    }

    private void assertRejected(Path tmp, String name, String text, String mention) throws IOException {
        Path f = tmp.resolve(name + ".nomad.hcl");
        Files.writeString(f, text);
        assertNotEquals(Files.readString(job()), text, name + ": the copy is broken");
        Command v = validate(f);
        assertEquals(1, v.waitFor(Duration.ofSeconds(30)), name + ": " + v.describe());
        assertTrue(v.stderr().contains(mention), name + ": expected an error containing '" + mention + "': "
                + v.describe());
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
