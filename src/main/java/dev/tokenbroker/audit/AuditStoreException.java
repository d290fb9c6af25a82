package dev.tokenbroker.audit;

/** The audit database could not be written or read. The message names no secret (records hold none). */
public class AuditStoreException extends RuntimeException {

    public AuditStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
