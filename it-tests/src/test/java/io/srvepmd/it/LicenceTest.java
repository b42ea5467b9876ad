package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.ItEnv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The licences travel with the code. Every library the agent jar bundles
 * (found from the jar's own contents: whatever lies under
 * {@code io/srvepmd/shaded/}) has its licence text in the jar, exactly as the
 * library ships it, and a row in the jar's NOTICE naming it; each jar carries
 * the project's LICENSE and NOTICE; the agent's SBOM lists exactly the
 * artifacts the shade bundles, each with its licence.
 */
class LicenceTest {

    private static final String SHADED = "io/srvepmd/shaded/";

    /** A NOTICE row: package in the jar, Maven groupId:artifactId, SPDX id, licence file in the jar. */
    private static final Pattern ROW = Pattern.compile(
            "^ {2}(" + SHADED + "\\S+/)\\s+(\\S+:\\S+)\\s+(\\S+)\\s+(META-INF/\\S+)\\s*$", Pattern.MULTILINE);

    /** One bundled library, as the NOTICE names it. */
    private static final class Bundled {
        final String pkg;
        final String artifact;
        final String licence;
        final String file;

        Bundled(Matcher m) {
            pkg = m.group(1);
            artifact = m.group(2);
            licence = m.group(3);
            file = m.group(4);
        }

        @Override
        public String toString() {
            return pkg + " (" + artifact + ", " + licence + ", " + file + ")";
        }
    }

    @Test
    void everyBundledLibraryHasItsOwnLicenceTextInTheAgentJar() throws IOException {
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile())) {
            List<Bundled> rows = bundled(jar);
            assertFalse(rows.isEmpty(), "the agent jar's NOTICE names no bundled library:\n"
                    + new String(entry(jar, "META-INF/NOTICE"), StandardCharsets.UTF_8));
            Map<String, Integer> covered = new TreeMap<>();
            Set<String> uncovered = new TreeSet<>();
            for (JarEntry e : Collections.list(jar.entries())) {
                if (e.isDirectory() || !e.getName().startsWith(SHADED)) {
                    continue;
                }
                List<Bundled> by = rows.stream().filter(r -> e.getName().startsWith(r.pkg)).collect(Collectors.toList());
                if (by.size() == 1) {
                    covered.merge(by.get(0).pkg, 1, Integer::sum);
                } else {
                    uncovered.add(e.getName().substring(0, e.getName().lastIndexOf('/') + 1) + " (" + by.size()
                            + " NOTICE rows)");
                }
            }
            assertEquals(Set.of(), uncovered, "bundled packages without exactly one licence row in the NOTICE");
            for (Bundled row : rows) {
                assertTrue(covered.getOrDefault(row.pkg, 0) > 0, "the NOTICE names " + row + ", which the jar lacks");
                byte[] text = entry(jar, row.file);
                assertTrue(text != null && text.length > 0, "no licence text " + row.file + " for " + row);
                assertTrue(shippedBy(row.artifact, text), row.file + " is not a licence text that " + row.artifact
                        + "'s own jar ships");
            }
        }
    }

    @Test
    void everyJarCarriesTheProjectsLicenceAndNotice() throws IOException {
        byte[] licence = Files.readAllBytes(ItEnv.root().resolve("LICENSE"));
        byte[] notice = Files.readAllBytes(ItEnv.root().resolve("NOTICE"));
        assertTrue(new String(licence, StandardCharsets.UTF_8).contains("Apache License\n                           Version 2.0"),
                "LICENSE is the Apache License 2.0");
        for (Path path : List.of(ItEnv.agentJar(), ItEnv.staticJar())) {
            try (JarFile jar = new JarFile(path.toFile())) {
                assertTrue(Arrays.equals(licence, entry(jar, "META-INF/LICENSE")), path + ": META-INF/LICENSE");
                assertTrue(Arrays.equals(notice, entry(jar, "META-INF/NOTICE")), path + ": META-INF/NOTICE");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAgentsSbomListsWhatTheShadeBundlesEachWithItsLicence() throws Exception {
        Path file = ItEnv.root().resolve("agent/target/srv-epmd-agent-cyclonedx.json");
        Map<String, Object> bom = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        assertEquals("CycloneDX", bom.get("bomFormat"), file.toString());
        Map<String, Object> agent = (Map<String, Object>) ((Map<String, Object>) bom.get("metadata")).get("component");
        assertEquals("srv-epmd-agent", agent.get("name"));
        assertEquals(List.of("Apache-2.0"), licences(agent));

        List<String> shaded = shadeIncludes();
        Map<String, List<String>> components = new TreeMap<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) bom.get("components")) {
            String coordinates = c.get("group") + ":" + c.get("name");
            components.put(coordinates, licences(c));
            assertTrue(shaded.stream().anyMatch(p -> matches(p, coordinates)),
                    coordinates + " is in the SBOM but the shade does not bundle it (" + shaded + ")");
            assertFalse(licences(c).isEmpty(), coordinates + " has no licence in the SBOM");
            assertTrue(((List<Map<String, Object>>) c.get("hashes")).stream().anyMatch(h -> "SHA-256".equals(h.get("alg"))),
                    coordinates + " has no SHA-256 in the SBOM");
            if (coordinates.startsWith("io.srvepmd:")) {
                assertOwnModuleBundled((String) c.get("name"));
            }
        }
        for (String include : shaded) {
            assertTrue(include.endsWith(":*") || components.containsKey(include),
                    "the shade bundles " + include + ", the SBOM does not list it: " + components.keySet());
        }
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile())) {
            for (Bundled row : bundled(jar)) {
                assertTrue(components.containsKey(row.artifact), "the NOTICE's " + row + " is not in the SBOM");
            }
        }
    }

    /** Every class of the project's module {@code artifactId} (its own jar) is in the agent jar. */
    private static void assertOwnModuleBundled(String artifactId) throws IOException {
        Path target = ItEnv.root().resolve(artifactId.substring("srv-epmd-".length())).resolve("target");
        List<Path> jars;
        try (var list = Files.list(target)) {
            jars = list.filter(p -> p.getFileName().toString().matches(artifactId + "-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                    .collect(Collectors.toList());
        }
        assertEquals(1, jars.size(), "the jar of " + artifactId + " in " + target + ": " + jars);
        try (JarFile module = new JarFile(jars.get(0).toFile()); JarFile agent = new JarFile(ItEnv.agentJar().toFile())) {
            List<String> missing = new ArrayList<>();
            for (JarEntry e : Collections.list(module.entries())) {
                if (e.getName().endsWith(".class") && agent.getEntry(e.getName()) == null) {
                    missing.add(e.getName());
                }
            }
            assertEquals(List.of(), missing, artifactId + " is in the SBOM, but these of its classes are not bundled");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> licences(Map<String, Object> component) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> l : (List<Map<String, Object>>) component.getOrDefault("licenses", List.of())) {
            Map<String, Object> licence = (Map<String, Object>) l.get("license");
            out.add(String.valueOf(licence.containsKey("id") ? licence.get("id") : licence.get("name")));
        }
        return out;
    }

    /** {@code groupId:artifactId} patterns of the shade's artifactSet in agent/pom.xml. */
    private static List<String> shadeIncludes() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ItEnv.root().resolve("agent/pom.xml").toFile());
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
                "//plugin[artifactId='maven-shade-plugin']//artifactSet/includes/include", pom, XPathConstants.NODESET);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().trim());
        }
        assertFalse(out.isEmpty(), "no artifactSet includes in agent/pom.xml's shade configuration");
        return out;
    }

    private static boolean matches(String pattern, String coordinates) {
        return pattern.endsWith(":*") ? coordinates.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(coordinates);
    }

    private static List<Bundled> bundled(JarFile jar) throws IOException {
        byte[] notice = entry(jar, "META-INF/NOTICE");
        assertTrue(notice != null, "the agent jar has no META-INF/NOTICE");
        List<Bundled> rows = new ArrayList<>();
        Matcher m = ROW.matcher(new String(notice, StandardCharsets.UTF_8));
        while (m.find()) {
            rows.add(new Bundled(m));
        }
        return rows;
    }

    /** Whether a licence file in {@code artifact}'s own jar (a host copy the tests have) is exactly {@code text}. */
    private static boolean shippedBy(String artifact, byte[] text) throws IOException {
        String artifactId = artifact.substring(artifact.indexOf(':') + 1);
        List<String> jars = Arrays.stream(System.getProperty("it.hostJars").split(":"))
                .filter(j -> Path.of(j).getFileName().toString().matches(Pattern.quote(artifactId) + "-[0-9].*\\.jar"))
                .collect(Collectors.toList());
        assertEquals(1, jars.size(), "the test has one copy of " + artifact + "'s jar (it.hostJars)");
        try (JarFile jar = new JarFile(jars.get(0))) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName().toUpperCase(java.util.Locale.ROOT);
                if (name.startsWith("META-INF/") && name.contains("LICEN") && Arrays.equals(text, entry(jar, e.getName()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] entry(JarFile jar, String name) throws IOException {
        JarEntry e = jar.getJarEntry(name);
        if (e == null) {
            return null;
        }
        try (InputStream in = jar.getInputStream(e)) {
            return in.readAllBytes();
        }
    }
}
