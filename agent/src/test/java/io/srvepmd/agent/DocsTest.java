package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps README.md, CHANGELOG.md, docs/*.md and the examples' READMEs true to the code: every setting they name is a key the agent or
 * one of the repository's resolvers reads (the registry behind the "unknown setting" error),
 * every command they show exists (scripts, and the agent jar's commands from {@link Cli#COMMANDS}),
 * and every relative link reaches a file and, with {@code #anchor}, a heading of it.
 */
class DocsTest {

    /** Tokens the docs show where a setting could stand that are not settings, each with why. */
    private static final Map<String, String> NOT_SETTINGS = Map.of(
            "key", "the placeholder of the key=value form",
            "key=value,key=value", "the form of agent arguments, the placeholder given twice",
            "tls.crt", "a file of a Kubernetes TLS Secret, as cert-manager writes it",
            "tls.key", "a file of a Kubernetes TLS Secret, as cert-manager writes it",
            "SRVEPMD_OTP_CACHE", "where scripts/ensure-otp.sh keeps the Erlang/OTP releases it fetches");

    /** The misspelt key the examples of the unknown-setting error show; allowed on their lines only. */
    private static final String MISSPELT_EXAMPLE = "dns.timout";

    /** {@code srvepmd.KEY}, as in {@code -Dsrvepmd.dns.servers}, not as in {@code io.srvepmd.agent}. */
    private static final Pattern PROPERTY = Pattern.compile("(?:(?<=-D)|(?<![\\w.]))srvepmd\\.([a-z0-9][a-z0-9.-]*[a-z0-9])");
    private static final Pattern ENVIRONMENT = Pattern.compile("\\bSRVEPMD_[A-Z0-9_]*[A-Z0-9]\\b");
    /** An inline code span holding {@code a.b} or {@code a.b=value}. */
    private static final Pattern DOTTED_SPAN = Pattern.compile("([a-z][a-z0-9-]*)((?:\\.[a-z0-9-]+)+)(=.*)?");
    /** An inline code span holding {@code key=value}. */
    private static final Pattern PAIR_SPAN = Pattern.compile("([a-z][a-z0-9-]*)=.*");
    private static final Pattern AGENT_ARGUMENTS = Pattern.compile("-javaagent:[^\\s`=]*srv-epmd-agent\\.jar=([^\\s`'\"]+)");
    private static final Pattern CLI = Pattern.compile("(?:-jar\\s+\\S*srv-epmd-agent\\.jar|io\\.srvepmd\\.agent\\.Cli)\\s+([^`]*)");
    private static final Pattern SCRIPT = Pattern.compile("(?<![\\w/.-])scripts/([\\w.-]+\\.sh)\\b");

    private static Path root;
    private static List<MarkdownDoc> docs;
    private static Set<String> keys;

    @BeforeAll
    static void readDocsAndKeys(@TempDir Path work) throws Exception {
        root = repositoryRoot();
        docs = new ArrayList<>();
        for (String top : List.of("README.md", "CHANGELOG.md")) {
            docs.add(MarkdownDoc.read(root, root.resolve(top)));
        }
        for (Path f : markdownFiles(root.resolve("docs"))) {
            docs.add(MarkdownDoc.read(root, f));
        }
        try (Stream<Path> examples = Files.list(root.resolve("examples"))) {
            for (Path example : examples.sorted().collect(Collectors.toList())) {
                for (Path f : markdownFiles(example)) {
                    docs.add(MarkdownDoc.read(root, f));
                }
            }
        }
        assertTrue(docs.size() > 5, "expected README.md and the docs/ files, read " + docs.size());
        keys = Providers.discover(RepositoryProviders.loader(root, work)).knownKeys();
        assertTrue(keys.containsAll(Set.of("dns.servers", "static.nodes", "kvfile.file")),
                "the registry of known keys lacks a resolver's keys: " + keys);
    }

    private static List<Path> markdownFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().collect(Collectors.toList());
        }
    }

    /** The checkout: the first directory up from this module that holds pom.xml, README.md and docs/. */
    private static Path repositoryRoot() {
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isRegularFile(d.resolve("README.md"))
                    && Files.isDirectory(d.resolve("docs"))) {
                return d;
            }
        }
        throw new IllegalStateException("no directory with pom.xml, README.md and docs/ above "
                + Paths.get("").toAbsolutePath());
    }

    @Test
    void everySettingTheDocsNameExists() {
        Set<String> envNames = keys.stream().map(Settings::envName).collect(Collectors.toSet());
        Set<String> namespaces = keys.stream().filter(k -> k.indexOf('.') > 0)
                .map(k -> k.substring(0, k.indexOf('.'))).collect(Collectors.toSet());
        Set<String> withMisspeltExample = new TreeSet<>(keys);
        withMisspeltExample.add(MISSPELT_EXAMPLE);
        Problems problems = new Problems(NOT_SETTINGS);
        for (MarkdownDoc doc : docs) {
            boolean keyTable = false;
            for (int i = 0; i < doc.lines.size(); i++) {
                String line = doc.lines.get(i);
                String at = doc.at(i);
                Set<String> known = line.contains("unknown setting") ? withMisspeltExample : keys;
                Matcher p = PROPERTY.matcher(line);
                while (p.find()) {
                    problems.check(known.contains(p.group(1)), at, p.group(1), "system property srvepmd." + p.group(1));
                }
                Matcher e = ENVIRONMENT.matcher(line);
                while (e.find()) {
                    problems.check(envNames.contains(e.group()), at, e.group(), "environment variable " + e.group());
                }
                for (String key : agentArgumentKeys(line, at, problems)) {
                    problems.check(known.contains(key), at, key, "agent argument " + key);
                }
                for (String key : cliSettingKeys(line)) {
                    problems.check(known.contains(key), at, key, "command-line setting " + key);
                }
                if (doc.isCode(i)) {
                    keyTable = false;
                    continue;
                }
                keyTable = keyTable(line, keyTable);
                String first = line.startsWith("|") ? line.split("\\|")[1].trim() : "";
                if (keyTable && first.startsWith("`")) {
                    String key = first.replace("`", "");
                    problems.check(known.contains(key), at, key, "settings table row " + key);
                }
                for (String span : MarkdownDoc.codeSpans(line)) {
                    String key = spanKey(span, namespaces);
                    if (key != null) {
                        problems.check(known.contains(key), at, key, "`" + span + "`");
                    }
                }
            }
        }
        problems.assertNone("names a setting that no resolver or the agent reads (known keys: " + keys + ")", 100);
    }

    @Test
    void everyCommandTheDocsShowExists() {
        Set<String> commands = Cli.COMMANDS.stream().map(Cli.Command::word).collect(Collectors.toSet());
        Problems problems = new Problems(Map.of());
        for (MarkdownDoc doc : docs) {
            for (int i = 0; i < doc.lines.size(); i++) {
                String line = doc.lines.get(i);
                Matcher s = SCRIPT.matcher(line);
                while (s.find()) {
                    problems.check(Files.isRegularFile(root.resolve("scripts").resolve(s.group(1))), doc.at(i),
                            s.group(), "script scripts/" + s.group(1) + " (no such file)");
                }
                String word = cliCommand(line);
                if (word != null) {
                    problems.check(commands.contains(word), doc.at(i), word,
                            "agent jar command '" + word + "' (its commands: " + commands + ")");
                }
            }
        }
        problems.assertNone("shows a command that does not exist", 30);
    }

    @Test
    void everyRelativeLinkReachesAFileAndHeading() {
        Problems problems = new Problems(Map.of());
        for (MarkdownDoc doc : docs) {
            for (int i = 0; i < doc.lines.size(); i++) {
                if (doc.isCode(i)) {
                    continue;
                }
                for (String target : MarkdownDoc.linkTargets(doc.lines.get(i))) {
                    if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        checkLink(doc, i, target, problems);
                    }
                }
            }
        }
        problems.assertNone("has a link to nowhere", 40);
    }

    private static void checkLink(MarkdownDoc doc, int i, String target, Problems problems) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path file = path.isEmpty() ? doc.file : doc.file.getParent().resolve(path).normalize();
        boolean exists = Files.exists(file);
        problems.check(exists, doc.at(i), target, "link to " + root.relativize(file) + " (no such file)");
        if (exists && hash >= 0) {
            String anchor = target.substring(hash + 1);
            Set<String> anchors = anchorsOf(file);
            problems.check(anchors.contains(anchor), doc.at(i), target,
                    "link to #" + anchor + ", which no heading of " + root.relativize(file) + " produces (its anchors: "
                            + anchors + ")");
        }
    }

    private static Set<String> anchorsOf(Path file) {
        if (!file.toString().endsWith(".md")) {
            return Set.of();
        }
        try {
            return MarkdownDoc.read(root, file).anchors();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a line is in a table whose first column is headed {@code key}, given whether the line before was. */
    private static boolean keyTable(String line, boolean before) {
        if (!line.startsWith("|")) {
            return false;
        }
        return before || line.matches("\\|\\s*key\\s*\\|.*");
    }

    /** The key a code span names: {@code ns.x[=v]} for a namespace of known keys, or {@code x=v}; else null. */
    private static String spanKey(String span, Set<String> namespaces) {
        Matcher dotted = DOTTED_SPAN.matcher(span);
        if (dotted.matches()) {
            return namespaces.contains(dotted.group(1)) ? dotted.group(1) + dotted.group(2) : null;
        }
        Matcher pair = PAIR_SPAN.matcher(span);
        return pair.matches() ? pair.group(1) : null;
    }

    /** The keys of {@code -javaagent:srv-epmd-agent.jar=ARGS}, read as the agent reads them. */
    private static List<String> agentArgumentKeys(String line, String at, Problems problems) {
        List<String> found = new ArrayList<>();
        Matcher m = AGENT_ARGUMENTS.matcher(line);
        while (m.find()) {
            try {
                found.addAll(AgentArguments.parse(m.group(1)).keySet());
            } catch (ConfigException e) {
                problems.check(false, at, m.group(1), "agent arguments the agent refuses: " + e.getMessage());
            }
        }
        return found;
    }

    /** The words after {@code java -jar srv-epmd-agent.jar} (or {@code ...agent.Cli}), without {@code [optional]} parts. */
    private static List<String> cliWords(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = CLI.matcher(line);
        if (m.find()) {
            int depth = 0;
            for (String w : m.group(1).trim().split("\\s+")) {
                depth += w.startsWith("[") ? 1 : 0;
                if (depth == 0 && !w.isEmpty() && !w.equals("\\")) {
                    words.add(w);
                }
                depth -= w.endsWith("]") ? 1 : 0;
            }
        }
        return words;
    }

    /** The {@code key=value} settings before the command word; {@code KEY=VALUE} placeholders left out. */
    private static List<String> cliSettingKeys(String line) {
        List<String> found = new ArrayList<>();
        for (String w : cliWords(line)) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                break;
            }
            String key = w.substring(0, eq);
            if (!isPlaceholder(key)) {
                found.add(key);
            }
        }
        return found;
    }

    /** The command word after the settings, or null (none, or a placeholder such as {@code COMMAND}). */
    private static String cliCommand(String line) {
        for (String w : cliWords(line)) {
            if (w.indexOf('=') <= 0) {
                return isPlaceholder(w) ? null : w;
            }
        }
        return null;
    }

    private static boolean isPlaceholder(String word) {
        return word.equals(word.toUpperCase(Locale.ROOT));
    }

    /** The problems one test found, each as {@code file:line: 'token': what}. */
    private static final class Problems {
        private final Set<String> found = new TreeSet<>();
        private final Map<String, String> exempt;
        private int checked;

        /** @param exempt tokens that are no problem, each with why */
        Problems(Map<String, String> exempt) {
            this.exempt = exempt;
        }

        void check(boolean ok, String at, String token, String what) {
            checked++;
            if (!ok && !exempt.containsKey(token)) {
                found.add(at + ": '" + token + "': " + what);
            }
        }

        /** @param atLeast how many checks the docs give at least, so that a broken extraction cannot pass */
        void assertNone(String problem, int atLeast) {
            assertTrue(found.isEmpty(), "a doc " + problem + ":\n" + String.join("\n", found));
            assertTrue(checked >= atLeast, "only " + checked + " checks made; expected at least " + atLeast);
        }
    }
}
