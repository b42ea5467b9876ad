package com.example.kvfile;

import com.google.auto.service.AutoService;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code kvfile} resolver: where each Erlang node listens, read from a
 * text file that something else keeps up to date (a deploy script, a
 * configuration-management run), for example
 *
 * <pre>
 * # NODE=ADDRESS:PORT
 * node-0@my-service=10.0.0.7:4370
 * node-1@my-service=[fd00::8]:4370
 * node-2@my-service=db-host.internal:4371
 * </pre>
 *
 * <p>Selected with {@code resolvers=kvfile} (or {@code kvfile,dns-srv}: nodes
 * not in the file go to DNS). Settings, without the {@code srvepmd.} prefix:
 * <ul>
 * <li>{@code kvfile.file}: the file; required.</li>
 * <li>{@code kvfile.ttl}: how long the agent may reuse an answer before it
 *     reads the file again; default {@code 5s}, at most {@code 1h}.</li>
 * </ul>
 *
 * <p>{@code @AutoService} writes the
 * {@code META-INF/services/io.srvepmd.spi.EpmdResolverProvider} line that
 * lets the agent's {@link java.util.ServiceLoader} find this class.
 */
@AutoService(EpmdResolverProvider.class)
public final class KvFileResolverProvider extends EpmdResolverProvider {

    static final String FILE = "kvfile.file";
    static final String TTL = "kvfile.ttl";

    /** Every provider on the class path is created at JVM start-up: keep this cheap. */
    public KvFileResolverProvider() {
    }

    @Override
    public String name() {
        return "kvfile";
    }

    /** Declared keys are the only ones the agent accepts: a typo in a setting stops the JVM, naming it. */
    @Override
    public Set<String> configurationKeys() {
        return Set.of(FILE, TTL);
    }

    /**
     * Reads and checks the settings; no I/O (the file may appear later).
     * A bad setting throws {@link IllegalArgumentException}: the agent stops the
     * JVM with its message, so the message names the setting and the fix. The
     * typed getters ({@code require}, {@code getDuration}, ...) write such messages.
     */
    @Override
    public EpmdResolver get(Configuration configuration) {
        String file = configuration.require(FILE);
        Path path;
        try {
            path = Paths.get(file);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(configuration.describe(FILE) + "='" + file
                    + "' is not a valid path: " + e.getMessage(), e);
        }
        Duration ttl = configuration.getDuration(TTL, Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1));
        return new KvFileResolver(path, ttl, configuration.hostResolver());
    }
}
