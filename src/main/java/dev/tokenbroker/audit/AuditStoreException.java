package dev.tokenbroker.audit;

import dev.tokenbroker.problem.ProblemException;
import java.util.OptionalInt;

/** The audit database could not be written or read. The message names no secret (records hold none). */
public class AuditStoreException extends ProblemException {

    public AuditStoreException(String message, Throwable cause) {
        super(503, "audit-unavailable", "The audit log is unavailable", message, cause);
    }

    @Override
    public OptionalInt retryAfterSeconds() {
        return OptionalInt.of(30);
    }
}
