package io.srvepmd.it.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A multi-document Kubernetes YAML file read as plain maps, and what a
 * cluster makes of it that the tests need: the DNS names of pods of a
 * StatefulSet behind a headless Service (Kubernetes DNS specification:
 * {@code <hostname>.<subdomain>.<namespace>.svc.<zone>}, hostname = pod name
 * {@code <statefulset>-<ordinal>}, subdomain = {@code spec.serviceName}), and a
 * container's environment and arguments as the kubelet expands them
 * ({@code valueFrom.fieldRef} of the pod's name and namespace,
 * {@code secretKeyRef} into a Secret of the file, {@code $(VAR)} references to
 * variables defined earlier in the list).
 */
public final class KubeManifest {

    /** The cluster domain of a default installation. */
    public static final String ZONE = "cluster.local";

    private static final Pattern REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    private final Path file;
    private final List<Map<String, Object>> documents;

    private KubeManifest(Path file, List<Map<String, Object>> documents) {
        this.file = file;
        this.documents = documents;
    }

    @SuppressWarnings("unchecked")
    public static KubeManifest read(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
                if (doc != null) {
                    docs.add((Map<String, Object>) doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new KubeManifest(file, docs);
    }

    public Path file() {
        return file;
    }

    public List<Map<String, Object>> documents() {
        return documents;
    }

    /** The object of {@code kind} named {@code name}; fails if there is none. */
    public Map<String, Object> object(String kind, String name) {
        for (Map<String, Object> d : documents) {
            if (kind.equals(d.get("kind")) && name.equals(get(d, "metadata", "name"))) {
                return d;
            }
        }
        throw new AssertionError(file + " has no " + kind + " named " + name);
    }

    /** The objects of {@code kind}. */
    public List<Map<String, Object>> objects(String kind) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : documents) {
            if (kind.equals(d.get("kind"))) {
                out.add(d);
            }
        }
        return out;
    }

    /** The namespace of an object ({@code default} when unset). */
    public static String namespace(Map<String, Object> object) {
        Object ns = get(object, "metadata", "namespace");
        return ns == null ? "default" : ns.toString();
    }

    /** The pod names of StatefulSet {@code name}: {@code name-0 .. name-(replicas-1)}. */
    public List<String> podNames(String statefulSet) {
        Map<String, Object> sts = object("StatefulSet", statefulSet);
        int replicas = ((Number) get(sts, "spec", "replicas")).intValue();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            out.add(statefulSet + "-" + i);
        }
        return out;
    }

    /** The A record name of pod {@code ordinal} of a StatefulSet: {@code <sts>-<n>.<serviceName>.<ns>.svc.<zone>}. */
    public String podDnsName(String statefulSet, int ordinal) {
        Map<String, Object> sts = object("StatefulSet", statefulSet);
        return statefulSet + "-" + ordinal + "." + get(sts, "spec", "serviceName") + "." + namespace(sts) + ".svc."
                + ZONE;
    }

    /** {@code <service>.<ns>.svc.<zone>}. */
    public String serviceDnsName(String service) {
        return service + "." + namespace(object("Service", service)) + ".svc." + ZONE;
    }

    /** The first container of a StatefulSet's pod template. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> container(String statefulSet) {
        List<Object> containers = (List<Object>) get(object("StatefulSet", statefulSet), "spec", "template", "spec",
                "containers");
        return (Map<String, Object>) containers.get(0);
    }

    /** The environment of the first container of pod {@code ordinal} of a StatefulSet, expanded as the kubelet does. */
    @SuppressWarnings("unchecked")
    public Map<String, String> environment(String statefulSet, int ordinal) {
        Map<String, Object> sts = object("StatefulSet", statefulSet);
        Map<String, String> env = new LinkedHashMap<>();
        Object list = container(statefulSet).get("env");
        for (Object o : list == null ? List.of() : (List<Object>) list) {
            Map<String, Object> var = (Map<String, Object>) o;
            String name = var.get("name").toString();
            if (var.containsKey("value")) {
                env.put(name, expand(var.get("value").toString(), env));
            } else {
                Object field = get(var, "valueFrom", "fieldRef", "fieldPath");
                Object secret = get(var, "valueFrom", "secretKeyRef", "name");
                if ("metadata.name".equals(field)) {
                    env.put(name, statefulSet + "-" + ordinal);
                } else if ("metadata.namespace".equals(field)) {
                    env.put(name, namespace(sts));
                } else if (secret != null) {
                    Object key = get(var, "valueFrom", "secretKeyRef", "key");
                    Object value = get(object("Secret", secret.toString()), "stringData", key.toString());
                    if (value == null) {
                        throw new AssertionError(file + ": Secret " + secret + " has no stringData key " + key);
                    }
                    env.put(name, value.toString());
                } else {
                    throw new AssertionError(file + ": env " + name + " of " + statefulSet
                            + ": only value, fieldRef metadata.name/namespace and secretKeyRef are understood here");
                }
            }
        }
        return env;
    }

    /** A string list of the first container ({@code command} or {@code args}), with $(VAR) expanded from {@code env}. */
    @SuppressWarnings("unchecked")
    public List<String> expandedList(String statefulSet, String field, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        Object list = container(statefulSet).get(field);
        for (Object o : list == null ? List.of() : (List<Object>) list) {
            out.add(expand(o.toString(), env));
        }
        return out;
    }

    /** Kubernetes' $(VAR) expansion: a reference to a defined variable is replaced, any other stays as written. */
    public static String expand(String text, Map<String, String> env) {
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code map[k0][k1]...}, or null where a step is missing. */
    @SuppressWarnings("unchecked")
    public static Object get(Map<String, Object> map, String... keys) {
        Object cur = map;
        for (String k : keys) {
            if (!(cur instanceof Map)) {
                return null;
            }
            cur = ((Map<String, Object>) cur).get(k);
        }
        return cur;
    }
}
