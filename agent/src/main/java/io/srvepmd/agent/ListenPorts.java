package io.srvepmd.agent;

import io.srvepmd.spi.EpmdResolverProvider;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Chooses the port a local node listens on, DynamicSrv.Epmd's rule: an explicit port
 * from the program wins; helper names get an ephemeral port; otherwise
 * {@code dist.port} or the {@code ERL_DIST_PORT} environment variable.
 */
final class ListenPorts {

    static final String ERL_DIST_PORT = "ERL_DIST_PORT";

    private final OptionalInt configured;
    private final boolean required;
    private final LocalNodes localNodes;
    private final Function<String, String> env;
    /** The warning about an unset ERL_DIST_PORT is given once, for the first node. */
    private final AtomicBoolean warnedUnset = new AtomicBoolean();

    public ListenPorts(CoreSettings settings, LocalNodes localNodes, Function<String, String> env) {
        this.configured = settings.distPort();
        this.required = settings.distPortRequired();
        this.localNodes = localNodes;
        this.env = env;
    }

    /**
     * @param node the full node name, for messages
     * @param alive the node's alive part, to recognise helper names
     * @param requested the port the program asked for; 0 means "any"
     * @return the port to bind; 0 for an ephemeral one
     * @throws IOException if ERL_DIST_PORT is invalid, or unset while required
     */
    public int choose(String node, String alive, int requested) throws IOException {
        if (requested != 0 || localNodes.isHelper(alive)) {
            return requested;
        }
        if (configured.isPresent()) {
            return configured.getAsInt();
        }
        String value = env.apply(ERL_DIST_PORT);
        if (value == null) {
            return unset(node);
        }
        try {
            return new EnvironmentVariable(ERL_DIST_PORT, value).getPort(ERL_DIST_PORT).getAsInt();
        } catch (IllegalArgumentException e) {
            throw new IOException("srv-epmd: cannot start node " + node + ": " + e.getMessage()
                    + "; set it to the distribution port the orchestrator assigned (as published in DNS)");
        }
    }

    /** One environment variable read with the settings' grammar, so a bad port reads like a bad setting. */
    private static final class EnvironmentVariable implements EpmdResolverProvider.Configuration {
        private final String name;
        private final String value;

        EnvironmentVariable(String name, String value) {
            this.name = name;
            this.value = value;
        }

        @Override
        public Optional<String> get(String key) {
            return Optional.of(value);
        }

        @Override
        public String describe(String key) {
            return name;
        }
    }

    private int unset(String node) throws IOException {
        String why = ERL_DIST_PORT + " is not set, so node " + node;
        if (required) {
            throw new IOException("srv-epmd: cannot start node " + node + ": " + ERL_DIST_PORT
                    + " is not set (dist.port-required=true); export it with the port peers find in DNS,"
                    + " or set dist.port");
        }
        if (warnedUnset.compareAndSet(false, true)) {
            AgentLog.warn(why + " listens on an ephemeral port that peers cannot find through DNS; export "
                    + ERL_DIST_PORT + " or set dist.port (dist.port-required=true makes this an error)");
        }
        return 0;
    }
}
