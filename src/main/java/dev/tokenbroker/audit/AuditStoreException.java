package dev.tokenbroker.audit;

import dev.tokenbroker.problem.UnavailableException;

/** The audit database could not be written or read. The message names no secret (records hold none). */
public class AuditStoreException extends UnavailableException {

    public AuditStoreException(String message, Throwable cause) {
        super("audit-unavailable", "The audit log is unavailable", message, cause);
    }
}
