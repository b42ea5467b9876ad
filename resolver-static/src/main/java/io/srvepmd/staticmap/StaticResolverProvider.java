package io.srvepmd.staticmap;

import com.google.auto.service.AutoService;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code static} resolver: a fixed map from node names (with {@code *}
 * wildcards) to addresses and ports.
 *
 * <p>Settings (without the {@code srvepmd.} prefix):
 * <ul>
 * <li>{@code static.nodes}: entries separated by {@code ;}, for example
 *     {@code node-0@host-a=10.0.0.7:4370; *@*.svc.cluster.local=:4370}.
 *     Whitespace around an entry and empty entries are ignored.</li>
 * <li>{@code static.file}: a UTF-8 file with one entry per line; {@code #}
 *     starts a comment (whole line or trailing), blank lines are ignored. It is
 *     read once, when the agent starts.</li>
 * </ul>
 * At least one must be set. When both are, the {@code static.nodes} entries
 * come first. An entry is {@code NODE=ADDRESS:PORT}:
 * <ul>
 * <li>NODE is {@code alive@host}; either part may hold {@code *}, which
 *     matches any run of characters (the empty run included). Everything else
 *     matches literally, dots too. Host parts match case-insensitively.</li>
 * <li>ADDRESS is an IPv4 address, a bracketed IPv6 address ({@code [fd00::7]}),
 *     a host name looked up with the system resolver when a node is resolved,
 *     or empty: then the node's own host part is looked up, as OTP 23's
 *     epmd-less setups do ({@code *@*.svc.cluster.local=:4370}).</li>
 * <li>PORT is 1-65535 and required.</li>
 * </ul>
 * The first matching entry wins; see {@link StaticResolver}.
 */
@AutoService(EpmdResolverProvider.class)
public final class StaticResolverProvider extends EpmdResolverProvider {

    /** The provider's name in the {@code resolvers} setting. */
    public static final String NAME = "static";

    /** The {@code ;}-separated entries setting. */
    public static final String NODES_KEY = "static.nodes";

    /** The entries file setting. */
    public static final String FILE_KEY = "static.file";

    /** Does nothing: all work waits for {@link #get}. */
    public StaticResolverProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> configurationKeys() {
        return Set.of(NODES_KEY, FILE_KEY);
    }

    /**
     * Parses and checks both settings and reads the file.
     *
     * @throws IllegalArgumentException if neither setting is set, a setting holds
     *         no entries, an entry is malformed (naming the setting, the entry,
     *         for the file its path and line, and the expected form), or the file
     *         cannot be read (naming its path)
     */
    @Override
    public EpmdResolver get(Configuration configuration) {
        Optional<String> nodes = configuration.get(NODES_KEY);
        Optional<String> file = configuration.get(FILE_KEY);
        if (nodes.isEmpty() && file.isEmpty()) {
            throw new IllegalArgumentException("resolver '" + NAME + "' is selected but neither " + NODES_KEY
                    + " nor " + FILE_KEY + " is set; set " + NODES_KEY + " to entries such as"
                    + " 'node-0@host-a=10.0.0.7:4370;*@*.svc.cluster.local=:4370', or " + FILE_KEY
                    + " to a file with one such entry per line");
        }
        List<StaticEntry> entries = new ArrayList<>();
        if (nodes.isPresent()) {
            String described = configuration.describe(NODES_KEY);
            List<StaticEntry> parsed = StaticEntryParser.parseNodes(nodes.get(), NODES_KEY, described);
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException(described + " = '" + nodes.get() + "' holds no entries; "
                        + StaticEntryParser.EXPECTED + ", several separated by ';'");
            }
            entries.addAll(parsed);
        }
        if (file.isPresent()) {
            entries.addAll(readFile(file.get(), configuration.describe(FILE_KEY)));
        }
        return new StaticResolver(entries, configuration.hostResolver());
    }

    private static List<StaticEntry> readFile(String value, String described) {
        Path path;
        try {
            path = Paths.get(value.trim()).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(described + " = '" + value + "' is not a valid path: "
                    + e.getMessage(), e);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(described + ": cannot read the file " + path
                    + ": it is not UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            // NoSuchFileException and AccessDeniedException carry only the path
            // as their message, so the class name says what went wrong.
            throw new IllegalArgumentException(described + ": cannot read the file " + path + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        List<StaticEntry> parsed = StaticEntryParser.parseLines(lines, FILE_KEY, path.toString(), described);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(described + ": the file " + path + " holds no entries; "
                    + StaticEntryParser.EXPECTED + ", one per line");
        }
        return parsed;
    }
}
