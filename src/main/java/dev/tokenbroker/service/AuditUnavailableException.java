package dev.tokenbroker.service;

import dev.tokenbroker.problem.UnavailableException;

/** The audit log cannot be written, so no token may be delivered. */
public class AuditUnavailableException extends UnavailableException {

    public AuditUnavailableException(String message, Throwable cause) {
        super("audit-unavailable", "The audit log is unavailable", message, cause);
    }
}
