package dev.tokenbroker.service;

/** The audit log cannot be written, so no token may be delivered. */
public class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
