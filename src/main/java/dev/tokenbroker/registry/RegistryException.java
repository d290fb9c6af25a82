package dev.tokenbroker.registry;

import dev.tokenbroker.problem.UnavailableException;

/** The registry's database failed; the message names what was being done, never a secret. */
public class RegistryException extends UnavailableException {

    public RegistryException(String message, Throwable cause) {
        super("registry-unavailable", "The bot registry is unavailable", message, cause);
    }
}
