package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The start-up discipline, enforced: a first contact (JVM start → new OtpNode → ping an Erlang
 * node through dnsmasq → exit) runs under {@code -Xlog:class+load}, and the test fails when the
 * agent's paths bring in what makes a cold JVM slow:
 * <ul>
 * <li>a lambda or method reference (a hidden class spun for an {@code io.srvepmd} class, the
 *     relocated dnsjava, SLF4J and ASM included: the build step turns dnsjava's into classes);</li>
 * <li>a class loaded from the agent jar whose bytecode uses {@code invokedynamic} (lambdas,
 *     indy string concatenation) or refers to {@code java.util.regex} or {@code java.nio.file}
 *     (but {@code Path}, a file name), unless {@link #ALLOWED} says why;</li>
 * <li>a class loaded from the agent jar that calls core reflection ({@code Method.invoke},
 *     {@code Constructor.newInstance}, {@code Field.get}/{@code set} and their typed forms): on JDK
 *     18+ each call site's first use generates method-handle classes (about 25 ms of CPU and 6 MiB
 *     on JDK 25 for the agent's calls into JInterface, now a generated bridge);</li>
 * <li>{@code SecureRandom} with a loopback DNS server (the JCA provider framework: dnsjava's
 *     Header creates one only on first read, and the agent's own only for servers off loopback);</li>
 * <li>the platform MBean server (the agent registers its MBeans when someone else starts it), or
 *     JFR's event machinery while no recording runs;</li>
 * <li>any of the agent's TLS classes, with {@code tls.enabled} unset (TLS costs nothing when off).</li>
 * </ul>
 * The JVM's and JInterface's own classes are not the agent's business: JDK code uses lambdas,
 * regex and java.nio.file itself, so only what the log ties to the agent is judged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartupDisciplineTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String AGENT_PKG = "io.srvepmd.";

    /**
     * References the discipline allows, each for a reason: code that is in a class on the path
     * but runs only when a setting asks for it.
     */
    private static final Set<String> ALLOWED = Set.of(
            // compiled only for a dist.helper-pattern other than the default (checked by hand)
            "io.srvepmd.agent.HelperNames -> java/util/regex/Pattern",
            "io.srvepmd.agent.HelperNames -> java/util/regex/PatternSyntaxException",
            "io.srvepmd.agent.CoreSettings -> java/util/regex/PatternSyntaxException",
            // SLF4J's explicit provider (its slf4j.provider property); the agent's copy finds its provider by
            // ServiceLoader
            "io.srvepmd.shaded.slf4j.LoggerFactory -> java/lang/reflect/Constructor.newInstance");

    /** One line of the class-loading log: the class and where it came from. */
    private static final class Loaded {
        final String name;
        final String source;

        Loaded(String name, String source) {
            this.name = name;
            this.source = source;
        }
    }

    @Test
    void aFirstContactLoadsNothingTheDisciplineForbidsFromTheAgentsPaths() throws Exception {
        DnsServer dns = dnsWithErlangNode(ERL);
        Path log = ItEnv.newDir("class-load").resolve("classes.txt");
        JavaApp app = track(javaWithAgent("LoaderMain", JInterface.V1_13_1, dns)
                .jvmOption("-Xlog:class+load=info:file=" + log + ":none")
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, ERL)
                .start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        assertTrue(app.stdoutLines().contains("PING " + ERL + " ok"), app.describe());

        List<Loaded> loaded = read(log);
        int premain = indexOf(loaded, "io.srvepmd.agent.Agent");
        assertTrue(premain >= 0, "the agent's entry class never loaded:\n" + names(loaded));
        Path agentJar = ItEnv.agentJar().toRealPath();
        Set<String> violations = new LinkedHashSet<>();
        int fromJar = 0;
        try (ZipFile jar = new ZipFile(agentJar.toFile())) {
            for (int i = 0; i < loaded.size(); i++) {
                Loaded c = loaded.get(i);
                if (c.name.startsWith(AGENT_PKG) && c.name.contains("$$Lambda")
                        || c.source.startsWith(AGENT_PKG)) { // a hidden class's source is its host class
                    violations.add(c.name + ": a lambda or method reference of " + c.source);
                }
                if (isFile(c.source, agentJar)) {
                    fromJar++;
                    String why = forbiddenIn(jar, c.name);
                    if (why != null && !ALLOWED.contains(c.name + " -> " + why.substring(why.lastIndexOf(' ') + 1))) {
                        violations.add(c.name + " (from the agent jar): " + why);
                    }
                }
                if (isTlsClass(c.name)) {
                    violations.add(c.name + ": a TLS class of the agent loaded while tls.enabled is off");
                }
                if (i > premain) {
                    if (c.name.equals("java.security.SecureRandom")) {
                        violations.add("java.security.SecureRandom: created with a loopback DNS server");
                    }
                    if (c.name.equals("com.sun.jmx.mbeanserver.JmxMBeanServer")) {
                        violations.add(c.name + ": the platform MBean server was started");
                    }
                    if (c.name.startsWith("jdk.jfr.internal.") || c.name.equals("jdk.jfr.Event")) {
                        violations.add(c.name + ": JFR's event machinery loaded while no recording runs");
                    }
                }
            }
        }
        assertTrue(fromJar > 50, "expected the agent's classes from " + agentJar + ", got " + fromJar);
        assertTrue(violations.isEmpty(), "the first contact broke the start-up discipline:\n  "
                + String.join("\n  ", violations));
    }

    /** The agent's TLS classes: Tls*, the framing, PEM and DER readers, the TLS socket and key manager. */
    static boolean isTlsClass(String name) {
        if (!name.startsWith("io.srvepmd.agent.")) {
            return false;
        }
        String simple = name.substring("io.srvepmd.agent.".length());
        return simple.startsWith("Tls") || simple.startsWith("DistFraming") || simple.startsWith("DistTlsSocket")
                || simple.startsWith("PemFiles") || simple.startsWith("Der") || simple.startsWith("NodeKeyManager");
    }

    private static boolean isFile(String source, Path file) {
        if (!source.endsWith(file.getFileName().toString())) {
            return false;
        }
        try {
            return Path.of(source).toRealPath().equals(file);
        } catch (IOException | RuntimeException notAFile) {
            return false;
        }
    }

    private static List<Loaded> read(Path log) throws IOException {
        List<Loaded> out = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            int at = line.indexOf(" source: ");
            if (at > 0) {
                out.add(new Loaded(line.substring(0, at).trim(), line.substring(at + 9).trim()));
            }
        }
        return out;
    }

    private static int indexOf(List<Loaded> loaded, String name) {
        for (int i = 0; i < loaded.size(); i++) {
            if (loaded.get(i).name.equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String names(List<Loaded> loaded) {
        StringBuilder b = new StringBuilder();
        for (Loaded l : loaded) {
            b.append(l.name).append(' ');
        }
        return b.toString();
    }

    /**
     * @return why the class file breaks the discipline, or null: an {@code invokedynamic}
     *         constant, or a class reference into {@code java/util/regex/} or {@code java/nio/file/}
     */
    static String forbiddenIn(ZipFile jar, String className) throws IOException {
        ZipEntry e = jar.getEntry(className.replace('.', '/') + ".class");
        if (e == null) {
            return null;
        }
        try (InputStream in = jar.getInputStream(e)) {
            return forbiddenIn(new DataInputStream(in));
        }
    }

    /** Walks the constant pool (JVMS 4.4). */
    static String forbiddenIn(DataInputStream in) throws IOException {
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] first = new int[count]; // Class: its name; NameAndType: the name; Methodref: the class
        int[] second = new int[count]; // NameAndType: the descriptor; Methodref: the NameAndType
        List<Integer> classNames = new ArrayList<>();
        List<Integer> methodRefs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1:
                    utf8[i] = in.readUTF();
                    break;
                case 7: // Class
                    first[i] = in.readUnsignedShort();
                    classNames.add(first[i]);
                    break;
                case 8: case 16: case 19: case 20: // String, MethodType, Module, Package
                    in.readUnsignedShort();
                    break;
                case 10: case 11: // Methodref, InterfaceMethodref
                    methodRefs.add(i);
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                    break;
                case 12: // NameAndType
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                    break;
                case 3: case 4: case 9: case 17: // 4-byte entries
                    in.readInt();
                    break;
                case 15: // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                    break;
                case 18:
                    return "uses invokedynamic (a lambda, method reference or indy string concatenation)";
                case 5: case 6: // Long, Double: two slots
                    in.readLong();
                    i++;
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag);
            }
        }
        for (int index : classNames) {
            String name = utf8[index];
            // java.nio.file.Path as a file name is fine: the JVM starts its default file system
            // before premain; Files, channels and the rest of java.nio.file are not.
            if (name != null && (name.startsWith("java/util/regex/")
                    || name.startsWith("java/nio/file/") && !name.equals("java/nio/file/Path"))) {
                return "refers to " + name;
            }
        }
        for (int ref : methodRefs) {
            String call = utf8[first[first[ref]]] + "." + utf8[first[second[ref]]];
            if (REFLECTIVE_CALLS.contains(call)) {
                return "calls " + call;
            }
        }
        return null;
    }

    /** Core reflection's calls (owner.name) that run on method handles since JDK 18. */
    private static final Set<String> REFLECTIVE_CALLS = reflectiveCalls();

    private static Set<String> reflectiveCalls() {
        Set<String> calls = new java.util.HashSet<>(Set.of("java/lang/reflect/Method.invoke",
                "java/lang/reflect/Constructor.newInstance", "java/lang/Class.newInstance"));
        for (String type : new String[] {"", "Boolean", "Byte", "Char", "Short", "Int", "Long", "Float", "Double"}) {
            calls.add("java/lang/reflect/Field.get" + type);
            calls.add("java/lang/reflect/Field.set" + type);
        }
        return calls;
    }
}
