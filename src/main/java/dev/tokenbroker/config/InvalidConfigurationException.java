package dev.tokenbroker.config;

/** A setting that stops startup; the message names the key and never echoes a secret value. */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String key, String problem) {
        super("Invalid configuration: " + key + ": " + problem);
    }
}
