package io.srvepmd.agent.config;

/** A setting the agent cannot start with; the message names the key, the value and the fix. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
