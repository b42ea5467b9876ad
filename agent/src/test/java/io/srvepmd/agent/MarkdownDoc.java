package io.srvepmd.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown file as {@link DocsTest} reads it: its lines, which of them are inside fenced code
 * blocks, its inline code spans, its links, and the anchors its headings produce on GitHub.
 */
final class MarkdownDoc {

    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.*?)#*\\s*$");

    /** The file's path from the repository root, as messages name it. */
    final String name;
    final Path file;
    final List<String> lines;
    private final boolean[] code;

    private MarkdownDoc(String name, Path file, List<String> lines) {
        this.name = name;
        this.file = file;
        this.lines = lines;
        this.code = new boolean[lines.size()];
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            boolean fence = lines.get(i).trim().startsWith("```");
            code[i] = fenced || fence;
            if (fence) {
                fenced = !fenced;
            }
        }
    }

    static MarkdownDoc read(Path root, Path file) throws IOException {
        String name = root.relativize(file).toString().replace('\\', '/');
        return new MarkdownDoc(name, file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** @return whether line {@code i} (0-based) is inside a fenced code block, or is its fence */
    boolean isCode(int i) {
        return code[i];
    }

    /** @return where line {@code i} (0-based) is, as {@code file:line} */
    String at(int i) {
        return name + ":" + (i + 1);
    }

    /** @return the contents of the inline code spans of a line */
    static List<String> codeSpans(String line) {
        return groups(CODE_SPAN, 1, line);
    }

    /** @return the targets of the inline links {@code [text](target)} of a line */
    static List<String> linkTargets(String line) {
        return groups(LINK, 2, line);
    }

    private static List<String> groups(Pattern pattern, int group, String line) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(line);
        while (m.find()) {
            found.add(m.group(group));
        }
        return found;
    }

    /** @return the anchors GitHub gives this file's headings, repeats numbered {@code -1}, {@code -2}, ... */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = HEADING.matcher(lines.get(i));
            if (!code[i] && m.matches()) {
                String a = anchor(m.group(1));
                int n = seen.merge(a, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? a : a + "-" + n);
            }
        }
        return anchors;
    }

    /**
     * GitHub's rule: the heading's rendered text (links as their text, no code marks), lower case,
     * every character but letters, digits, spaces, {@code -} and {@code _} dropped, spaces to {@code -}.
     */
    static String anchor(String heading) {
        String text = LINK.matcher(heading).replaceAll("$1").replace("`", "");
        return text.trim().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
