package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.Gpg;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.ThirdPartyMaven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a release publishes, checked on the release {@link ThirdPartyMaven} makes
 * ({@code mvn -Prelease deploy} of the four published modules, from a copy of the
 * sources in another folder, signed with a throwaway GPG key): each module has
 * what Maven Central requires, every signature verifies with the published
 * public key and a changed jar's does not, every pom names its licence, URL, SCM
 * and developers, and that build produced byte for byte the jars, poms and SBOM
 * of the main build, made earlier in this folder (reproducible builds; the
 * javadoc jars, which only the release profile makes, are compared by
 * scripts/check-reproducible.sh).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReleaseArtifactsTest {

    /** What every published module has, each file with its signature. */
    private static final List<String> CENTRAL_KINDS = List.of(".pom", ".jar", "-sources.jar", "-javadoc.jar");
    /** What only the agent has besides: its SBOM. */
    private static final String SBOM = "-cyclonedx.json";
    /** The published artifacts, one per published module. */
    private static final List<String> ARTIFACTS = ThirdPartyMaven.PUBLISHED.stream()
            .map(ReleaseArtifactsTest::artifactOf).collect(Collectors.toList());
    /** Files of the main build that the release must reproduce. */
    private static final List<String> REPRODUCED_KINDS = List.of(".pom", ".jar", "-sources.jar", SBOM);

    @Test
    void eachPublishedModuleHasWhatMavenCentralRequiresAndNothingElseIsPublished() throws IOException {
        Path published = ThirdPartyMaven.withPublishedRelease().published().resolve("io/srvepmd");
        Set<String> artifacts;
        try (Stream<Path> dirs = Files.list(published)) {
            artifacts = dirs.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(ARTIFACTS), artifacts,
                "what the release published under io/srvepmd (no parent, no build tools)");
        for (String artifact : artifacts) {
            Set<String> expected = new TreeSet<>();
            for (String kind : kinds(artifact)) {
                expected.add(kind);
                expected.add(kind + ".asc");
            }
            assertEquals(expected, files(artifact).keySet(), artifact + ": " + files(artifact).values());
        }
    }

    @Test
    void everySignatureVerifiesWithThePublishedKeyAndAChangedJarsDoesNot() throws IOException {
        ThirdPartyMaven release = ThirdPartyMaven.withPublishedRelease();
        try (Gpg user = Gpg.withPublicKey(release.signingKey())) {
            String key = user.fingerprint();
            int verified = 0;
            for (String artifact : ARTIFACTS) {
                Map<String, Path> files = files(artifact);
                for (String kind : kinds(artifact)) {
                    Path file = files.get(kind);
                    Path signature = files.get(kind + ".asc");
                    assertTrue(file != null && signature != null, artifact + ": no " + kind + " or no signature of it: "
                            + files.values());
                    Gpg.Verification v = user.verify(file, signature);
                    assertTrue(v.validBy(key), file + " is not signed by " + key + ": " + v);
                    verified++;
                }
            }
            assertEquals(4 * CENTRAL_KINDS.size() + 1, verified);

            Map<String, Path> agent = files("srv-epmd-agent");
            Path changed = ItEnv.newDir("changed-jar").resolve("srv-epmd-agent.jar");
            byte[] bytes = Files.readAllBytes(agent.get(".jar"));
            bytes[bytes.length / 2] ^= 1;
            Files.write(changed, bytes);
            Gpg.Verification v = user.verify(changed, agent.get(".jar.asc"));
            assertFalse(v.validBy(key), "a jar with one bit changed passed: " + v);
            assertTrue(v.status != 0 && v.statusLines.contains("[GNUPG:] BADSIG "), v.toString());
        }
    }

    @Test
    void everyPublishedPomNamesItsLicenceUrlScmAndDevelopers() throws Exception {
        Element root = xml(ItEnv.root().resolve("pom.xml"));
        String url = text(root, "url");
        assertTrue(url.startsWith("https://"), "the root pom's url: " + url);
        for (String artifact : ARTIFACTS) {
            Path pom = files(artifact).get(".pom");
            Element p = xml(pom);
            String where = artifact + "'s published pom " + pom + ": ";
            assertEquals(artifact, text(p, "artifactId"), where);
            assertTrue(children(p, "parent").isEmpty(), where + "has a parent");
            assertFalse(text(p, "name").isBlank(), where + "no name");
            assertFalse(text(p, "description").isBlank(), where + "no description");
            assertEquals(url, text(p, "url"), where + "its url (the project's, no module path appended)");
            Element licence = only(only(p, "licenses"), "license");
            assertEquals("Apache-2.0", text(licence, "name"), where);
            assertEquals("https://www.apache.org/licenses/LICENSE-2.0.txt", text(licence, "url"), where);
            Element scm = only(p, "scm");
            assertEquals(url, text(scm, "url"), where + "its scm url");
            assertTrue(text(scm, "connection").startsWith("scm:git:"), where + "scm connection");
            assertTrue(text(scm, "developerConnection").startsWith("scm:git:"), where + "scm developerConnection");
            Element developer = only(only(p, "developers"), "developer");
            assertFalse(text(developer, "name").isBlank(), where + "a developer without a name");
        }
    }

    @Test
    void theReleaseBuiltInAnotherFolderLaterGaveByteIdenticalJarsPomsAndSbom() throws IOException {
        Path source = ThirdPartyMaven.withPublishedRelease().releaseSource();
        assertFalse(source.startsWith(ItEnv.root().resolve("agent")), "the release was built in " + source);
        List<String> compared = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        for (String module : ThirdPartyMaven.PUBLISHED) {
            Path target = ItEnv.root().resolve(module).resolve("target");
            Map<String, Path> published = files(artifactOf(module));
            for (String kind : REPRODUCED_KINDS) {
                if (!published.containsKey(kind)) {
                    continue; // the SBOM is the agent's only
                }
                Path mine = mainBuildFile(target, kind);
                Path theirs = published.get(kind);
                Duration later = Duration.ofMillis(Files.getLastModifiedTime(theirs).toMillis()
                        - Files.getLastModifiedTime(mine).toMillis());
                assertTrue(later.toSeconds() >= 2, "the release build must come later than the main build (zip"
                        + " entry times have a 2 s resolution): " + theirs + " only " + later + " after " + mine);
                if (!Arrays.equals(Files.readAllBytes(mine), Files.readAllBytes(theirs))) {
                    differing.add(mine + " and " + theirs);
                }
                compared.add(module + "/" + kind);
            }
        }
        assertEquals(4 * 3 + 1, compared.size(), compared.toString());
        assertEquals(List.of(), differing, "the release, built from a copy in " + source + ", differs from the main"
                + " build: the build is not reproducible (compare the pairs, e.g. with diffoscope), or the main build"
                + " is older than the sources (rebuild it)");
    }

    /** The kinds of file the artifact must have published (signatures aside). */
    private static List<String> kinds(String artifact) {
        List<String> kinds = new ArrayList<>(CENTRAL_KINDS);
        if (artifact.equals("srv-epmd-agent")) {
            kinds.add(SBOM);
        }
        return kinds;
    }

    private static String artifactOf(String module) {
        return "srv-epmd-" + module;
    }

    /**
     * The published files of one artifact's only version, by kind ({@code .jar}, {@code -sources.jar.asc},
     * ...): Maven's metadata and checksums left out.
     */
    private static Map<String, Path> files(String artifact) throws IOException {
        Path version = ThirdPartyMaven.withPublishedRelease().publishedVersion(artifact);
        Map<String, Path> byKind = new TreeMap<>();
        try (Stream<Path> list = Files.list(version)) {
            for (Path f : list.collect(Collectors.toList())) {
                String name = f.getFileName().toString();
                if (name.startsWith("maven-metadata") || name.matches(".*\\.(md5|sha1|sha256|sha512)")) {
                    continue;
                }
                Path before = byKind.put(kind(name), f);
                assertEquals(null, before, "two files of kind " + kind(name) + " in " + version);
            }
        }
        return byKind;
    }

    private static String kind(String name) {
        String unsigned = name.endsWith(".asc") ? name.substring(0, name.length() - 4) : name;
        String signature = name.endsWith(".asc") ? ".asc" : "";
        for (String kind : List.of("-sources.jar", "-javadoc.jar", SBOM, ".pom", ".jar")) {
            if (unsigned.endsWith(kind)) {
                return kind + signature;
            }
        }
        return name;
    }

    /** The main build's file of that kind in a module's {@code target/}: what install and deploy publish. */
    private static Path mainBuildFile(Path target, String kind) throws IOException {
        if (kind.equals(".pom")) {
            return target.resolve(".flattened-pom.xml");
        }
        List<Path> matching;
        try (Stream<Path> list = Files.list(target)) {
            matching = list.filter(p -> {
                String name = p.getFileName().toString();
                return !name.startsWith("original-") && kind(name).equals(kind);
            }).collect(Collectors.toList());
        }
        assertEquals(1, matching.size(), "one " + kind + " in " + target + ": " + matching);
        return matching.get(0);
    }

    private static Element xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        Document d = f.newDocumentBuilder().parse(file.toFile());
        return d.getDocumentElement();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && n.getNodeName().equals(name)) {
                out.add((Element) n);
            }
        }
        return out;
    }

    private static Element only(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertEquals(1, found.size(), "one <" + name + "> in <" + parent.getNodeName() + ">");
        return found.get(0);
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }
}
