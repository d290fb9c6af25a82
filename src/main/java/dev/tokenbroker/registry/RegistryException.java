package dev.tokenbroker.registry;

import dev.tokenbroker.problem.ProblemException;
import java.util.OptionalInt;

/** The registry's database failed; the message names what was being done, never a secret. */
public class RegistryException extends ProblemException {

    public RegistryException(String message, Throwable cause) {
        super(503, "registry-unavailable", "The bot registry is unavailable", message, cause);
    }

    @Override
    public OptionalInt retryAfterSeconds() {
        return OptionalInt.of(30);
    }
}
