package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.srvepmd.it.support.Command;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.KubeManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validates {@code deploy/kubernetes/erlang-cluster.yaml} offline.
 * <ol>
 * <li>Schema: every object is checked against the Kubernetes API's OpenAPI
 *     definitions as generated into the official Kubernetes Java client
 *     ({@code io.kubernetes:client-java-api}): {@code validateJsonElement} of the
 *     object's model class rejects a field the API does not define (at any
 *     depth), a missing required field and a wrong JSON type; the object must
 *     then deserialize into the model.</li>
 * <li>Rules the API server applies that a schema cannot express, for what the
 *     file uses: names are DNS-1123 labels, port names IANA service names, a
 *     StatefulSet's selector matches its pod labels, {@code $(VAR)} references
 *     name variables defined earlier, secretKeyRef names a key of a Secret of
 *     the file.</li>
 * <li>The DNS shape {@link KubernetesMultiHostTest} serves follows from the
 *     file: a headless Service selecting both StatefulSets' pods, which name it
 *     as {@code serviceName}; a named TCP port 4370; Erlang nodes named
 *     {@code app@$(POD_NAME).<serviceName>.$(POD_NAMESPACE).svc.cluster.local}
 *     in OTP's epmd-less mode on 4370; the Java container with the agent, the
 *     static resolver's jar and {@code *@*.svc.cluster.local=:4370}; and the
 *     agent accepts the file's settings (its own command line, exit 0).</li>
 * </ol>
 * Each check is also shown to reject a broken copy of the file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubernetesManifestValidationTest extends ItBase {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    private static Path file() {
        return ItEnv.deploy().resolve("kubernetes/erlang-cluster.yaml");
    }

    @Test
    void everyObjectMatchesTheKubernetesApiSchema() {
        assertEquals(List.of(), schemaErrors(KubeManifest.read(file())));
    }

    @Test
    void apiServerRulesHold() {
        assertEquals(List.of(), ruleErrors(KubeManifest.read(file())));
    }

    @Test
    void theSchemaCheckRejectsUnknownMissingAndMistypedFields(@TempDir Path tmp) throws IOException {
        String text = Files.readString(file());
        assertRejected(schemaErrors(copy(tmp, "typo", text.replace("  serviceName: app\n  replicas: 3",
                "  servicename: app\n  replicas: 3"))), "servicename");
        assertRejected(schemaErrors(copy(tmp, "nested-typo", text.replaceFirst("containerPort: 4370",
                "containerport: 4370"))), "containerport");
        assertRejected(schemaErrors(copy(tmp, "missing", text.replaceFirst(
                "(?s)  selector:\n    matchLabels:\n      app.kubernetes.io/name: app\n", ""))), "selector");
        assertRejected(schemaErrors(copy(tmp, "type", text.replace("replicas: 3", "replicas: [3]"))), "replicas");
    }

    @Test
    void theRuleChecksRejectBrokenReferences(@TempDir Path tmp) throws IOException {
        String text = Files.readString(file());
        assertRejected(ruleErrors(copy(tmp, "ref", text.replace("java@$(POD_NAME)", "java@$(POD_NAM)"))),
                "POD_NAM");
        assertRejected(ruleErrors(copy(tmp, "port-name", text.replace("- name: epmd                    #",
                "- name: erlang-distribution #"))), "erlang-distribution");
        assertRejected(ruleErrors(copy(tmp, "service", text.replace("  serviceName: app                  #",
                "  serviceName: apps                 #"))), "apps");
        assertRejected(ruleErrors(copy(tmp, "static", text.replace("*@*.svc.cluster.local=:4370",
                "*@*.svc.cluster.local=:4369"))), "4370");
    }

    /** The agent itself accepts the Java container's SRVEPMD_* settings (exit 0, not 78). */
    @Test
    void theAgentAcceptsTheJavaContainersSettings() {
        Map<String, String> env = KubeManifest.read(file()).environment("java", 0);
        Map<String, String> agentEnv = new java.util.LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("SRVEPMD_")) {
                agentEnv.put(k, v);
            }
        });
        Command cli = track(Command.start("cli-k8s", List.of(Command.java(), "-cp", ItEnv.agentJar() + ":"
                + ItEnv.staticJar(), "io.srvepmd.agent.Cli", "settings"), agentEnv));
        assertEquals(0, cli.waitFor(Duration.ofSeconds(30)), cli.describe());
        assertTrue(cli.stdout().contains("static.nodes=*@*.svc.cluster.local=:4370"), cli.describe());
    }

    // ---- the checks ----

    /** Schema errors of every object of the file (empty: valid). */
    static List<String> schemaErrors(KubeManifest manifest) {
        List<String> errors = new ArrayList<>();
        for (Map<String, Object> doc : manifest.documents()) {
            String what = doc.get("kind") + " " + KubeManifest.get(doc, "metadata", "name");
            JsonElement json = JSON.getGson().toJsonTree(doc);
            try {
                String key = doc.get("apiVersion") + "/" + doc.get("kind");
                switch (key) {
                    case "v1/Service":
                        V1Service.validateJsonElement(json);
                        V1Service.fromJson(json.toString());
                        break;
                    case "v1/Secret":
                        V1Secret.validateJsonElement(json);
                        V1Secret.fromJson(json.toString());
                        break;
                    case "apps/v1/StatefulSet":
                        V1StatefulSet.validateJsonElement(json);
                        V1StatefulSet.fromJson(json.toString());
                        break;
                    default:
                        errors.add(what + ": " + key + " is not a kind this validator knows");
                }
            } catch (IOException | RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                errors.add(what + ": " + (m.length() > 300 ? m.substring(0, 300) + "..." : m));
            }
        }
        return errors;
    }

    /** Errors of the API server's rules and of the DNS shape the multi-host test relies on (empty: valid). */
    @SuppressWarnings("unchecked")
    static List<String> ruleErrors(KubeManifest m) {
        List<String> errors = new ArrayList<>();
        for (Map<String, Object> doc : m.documents()) {
            String name = String.valueOf(KubeManifest.get(doc, "metadata", "name"));
            if (!DNS1123_LABEL.matcher(name).matches() || name.length() > 63) {
                errors.add(doc.get("kind") + " name '" + name + "' is not a DNS-1123 label");
            }
        }
        Map<String, Object> service = m.object("Service", KubernetesMultiHostTest.SERVICE);
        if (!"None".equals(KubeManifest.get(service, "spec", "clusterIP"))) {
            errors.add("Service app is not headless (clusterIP: None): no per-pod A records");
        }
        if (!Boolean.TRUE.equals(KubeManifest.get(service, "spec", "publishNotReadyAddresses"))) {
            errors.add("Service app does not publish not-ready addresses: nodes could not find each other while"
                    + " starting");
        }
        Map<String, Object> serviceSelector = (Map<String, Object>) KubeManifest.get(service, "spec", "selector");
        boolean distPort = false;
        for (Object p : (List<Object>) KubeManifest.get(service, "spec", "ports")) {
            Map<String, Object> port = (Map<String, Object>) p;
            String portName = String.valueOf(port.get("name"));
            if (!IANA_SVC_NAME.matcher(portName).matches() || portName.length() > 15) {
                errors.add("Service port name '" + portName + "' is not an IANA service name (at most 15 characters,"
                        + " a-z 0-9 -): no SRV record _" + portName + "._tcp");
            }
            distPort |= Integer.valueOf(KubernetesMultiHostTest.DIST_PORT).equals(port.get("port"))
                    && "TCP".equals(port.getOrDefault("protocol", "TCP"));
        }
        if (!distPort) {
            errors.add("Service app has no TCP port 4370");
        }
        for (String sts : List.of(KubernetesMultiHostTest.ERLANG_STS, KubernetesMultiHostTest.JAVA_STS)) {
            Map<String, Object> set = m.object("StatefulSet", sts);
            Map<String, Object> labels = (Map<String, Object>) KubeManifest.get(set, "spec", "template", "metadata",
                    "labels");
            Map<String, Object> selector = (Map<String, Object>) KubeManifest.get(set, "spec", "selector",
                    "matchLabels");
            if (labels == null || selector == null || !labels.entrySet().containsAll(selector.entrySet())) {
                errors.add("StatefulSet " + sts + ": selector " + selector + " does not match the pod labels " + labels);
            }
            if (labels == null || serviceSelector == null || !labels.entrySet().containsAll(serviceSelector.entrySet())) {
                errors.add("StatefulSet " + sts + ": Service app (selector " + serviceSelector
                        + ") does not select its pods " + labels + ": they get no DNS records");
            }
            if (!KubernetesMultiHostTest.SERVICE.equals(KubeManifest.get(set, "spec", "serviceName"))) {
                errors.add("StatefulSet " + sts + ": serviceName " + KubeManifest.get(set, "spec", "serviceName")
                        + " is not the headless Service app: its pods get no <pod>.app... names");
            }
            if (!KubeManifest.namespace(set).equals(KubeManifest.namespace(service))) {
                errors.add("StatefulSet " + sts + " is not in the Service's namespace");
            }
            errors.addAll(envErrors(m, sts));
            for (Object p : (List<Object>) m.container(sts).getOrDefault("ports", List.of())) {
                Object port = ((Map<String, Object>) p).get("containerPort");
                if (!Integer.valueOf(KubernetesMultiHostTest.DIST_PORT).equals(port)) {
                    errors.add("StatefulSet " + sts + ": containerPort " + port + " is not 4370");
                }
            }
        }
        // Erlang: OTP's epmd-less mode, every node on 4370, named after its pod's DNS name.
        List<String> erl = new ArrayList<>((List<String>) (List<?>) m.container("app").getOrDefault("command", List.of()));
        erl.addAll((List<String>) (List<?>) m.container("app").getOrDefault("args", List.of()));
        if (!containsInOrder(erl, "-start_epmd", "false") || !containsInOrder(erl, "-erl_epmd_port", "4370")) {
            errors.add("Erlang container: not '-start_epmd false -erl_epmd_port 4370': " + erl);
        }
        if (!containsInOrder(erl, "-name", "app@$(POD_NAME).app.$(POD_NAMESPACE).svc.cluster.local")) {
            errors.add("Erlang container: node name is not app@<its pod DNS name>: " + erl);
        }
        // Java: agent, static resolver jar, ERL_DIST_PORT 4370, the host-part form.
        List<String> java = (List<String>) (List<?>) m.container("java").getOrDefault("command", List.of());
        if (java.stream().noneMatch(a -> a.startsWith("-javaagent:") && a.endsWith("srv-epmd-agent.jar"))) {
            errors.add("Java container: no -javaagent:...srv-epmd-agent.jar: " + java);
        }
        int cp = java.indexOf("-cp");
        if (cp < 0 || !java.get(cp + 1).contains("srv-epmd-resolver-static")) {
            errors.add("Java container: the static resolver's jar is not on the class path: " + java);
        }
        Map<String, String> env = m.environment("java", 0);
        if (!"4370".equals(env.get("ERL_DIST_PORT"))) {
            errors.add("Java container: ERL_DIST_PORT is " + env.get("ERL_DIST_PORT") + ", not 4370");
        }
        if (!String.valueOf(env.get("SRVEPMD_RESOLVERS")).startsWith("static")) {
            errors.add("Java container: SRVEPMD_RESOLVERS does not start with static: " + env.get("SRVEPMD_RESOLVERS"));
        }
        if (!"*@*.svc.cluster.local=:4370".equals(env.get("SRVEPMD_STATIC_NODES"))) {
            errors.add("Java container: SRVEPMD_STATIC_NODES is " + env.get("SRVEPMD_STATIC_NODES")
                    + ", not *@*.svc.cluster.local=:4370 (the host part resolved, port 4370)");
        }
        if (!("java@" + m.podDnsName("java", 0)).equals(env.get("NODE_NAME"))) {
            errors.add("Java container: NODE_NAME " + env.get("NODE_NAME") + " is not java@<its pod DNS name>");
        }
        return errors;
    }

    /** $(VAR) references to variables not defined earlier in the list, and secretKeyRefs to missing keys. */
    @SuppressWarnings("unchecked")
    private static List<String> envErrors(KubeManifest m, String sts) {
        List<String> errors = new ArrayList<>();
        Set<String> defined = new HashSet<>();
        Map<String, Object> container = m.container(sts);
        for (Object o : (List<Object>) container.getOrDefault("env", List.of())) {
            Map<String, Object> var = (Map<String, Object>) o;
            if (var.get("value") != null) {
                errors.addAll(undefinedRefs(sts, "env " + var.get("name"), var.get("value").toString(), defined));
            }
            Object secret = KubeManifest.get(var, "valueFrom", "secretKeyRef", "name");
            if (secret != null) {
                Object key = KubeManifest.get(var, "valueFrom", "secretKeyRef", "key");
                Object found = m.objects("Secret").stream().filter(s -> secret.equals(KubeManifest.get(s, "metadata",
                        "name"))).map(s -> KubeManifest.get(s, "stringData", String.valueOf(key))).filter(v -> v != null)
                        .findFirst().orElse(null);
                if (found == null) {
                    errors.add(sts + ": env " + var.get("name") + " refers to Secret " + secret + " key " + key
                            + ", which the file does not define");
                }
            }
            defined.add(var.get("name").toString());
        }
        for (String field : List.of("command", "args")) {
            for (Object a : (List<Object>) container.getOrDefault(field, List.of())) {
                errors.addAll(undefinedRefs(sts, field, a.toString(), defined));
            }
        }
        return errors;
    }

    private static List<String> undefinedRefs(String sts, String where, String text, Set<String> defined) {
        List<String> errors = new ArrayList<>();
        Matcher r = REF.matcher(text);
        while (r.find()) {
            if (!defined.contains(r.group(1))) {
                errors.add(sts + ": " + where + " refers to $(" + r.group(1) + "), not defined before it: the"
                        + " kubelet leaves it as written");
            }
        }
        return errors;
    }

    private static boolean containsInOrder(List<String> list, String key, String value) {
        int i = list.indexOf(key);
        return i >= 0 && i + 1 < list.size() && list.get(i + 1).equals(value);
    }

    private static KubeManifest copy(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, text);
        return KubeManifest.read(f);
    }

    private static void assertRejected(List<String> errors, String mention) {
        assertTrue(errors.stream().anyMatch(e -> e.contains(mention)), "expected an error naming '" + mention
                + "', got " + errors);
    }
}
