package io.srvepmd.agent;

/** A setting the agent cannot start with; the message names the key, the value and the fix. */
final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
