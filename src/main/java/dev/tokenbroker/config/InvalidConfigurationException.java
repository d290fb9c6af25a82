package dev.tokenbroker.config;

import dev.tokenbroker.problem.ProblemException;

/** A setting that stops startup (or, read at run time, minting); the message names the key, never a secret value. */
public class InvalidConfigurationException extends ProblemException {

    public InvalidConfigurationException(String key, String problem) {
        super(503, "broker-misconfigured", "The broker cannot mint: its configuration is unusable",
                "Invalid configuration: " + key + ": " + problem, null);
    }
}
