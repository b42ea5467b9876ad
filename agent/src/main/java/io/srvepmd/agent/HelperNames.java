package io.srvepmd.agent;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises helper node names ({@code dist.helper-pattern}): short-lived
 * nodes such as remote shells that listen on an ephemeral port. The default
 * pattern, {@code ^(rpc|rem)-}, is matched by hand (start-up discipline,
 * it-tests' StartupDisciplineTest); any other pattern is a regular expression.
 */
final class HelperNames {

    /** DynamicSrv.Epmd's pattern. */
    public static final String DEFAULT = "^(rpc|rem)-";

    private final String source;
    private final Pattern pattern; // null: the default, matched by hand

    private HelperNames(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /**
     * @param regex the pattern as configured
     * @throws java.util.regex.PatternSyntaxException if it is not a regular expression
     */
    public static HelperNames of(String regex) {
        return new HelperNames(regex, regex.equals(DEFAULT) ? null : Pattern.compile(regex));
    }

    /** @return where the first helper match in {@code alive} ends, or -1 if there is none */
    public int matchEnd(String alive) {
        if (pattern == null) {
            return alive.startsWith("rpc-") || alive.startsWith("rem-") ? 4 : -1;
        }
        Matcher m = pattern.matcher(alive);
        return m.find() ? m.end() : -1;
    }

    /** @return the pattern as configured */
    @Override
    public String toString() {
        return source;
    }
}
