package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;
import java.util.OptionalInt;

/** The audit log cannot be written, so no token may be delivered. */
public class AuditUnavailableException extends ProblemException {

    public AuditUnavailableException(String message, Throwable cause) {
        super(503, "audit-unavailable", "The audit log is unavailable", message, cause);
    }

    @Override
    public OptionalInt retryAfterSeconds() {
        return OptionalInt.of(30);
    }
}
