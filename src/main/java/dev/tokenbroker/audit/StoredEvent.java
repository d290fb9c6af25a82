package dev.tokenbroker.audit;

/** An audit record as linked into the chain at position {@code seq}. */
public record StoredEvent(long seq, AuditEvent event, String prevHash, String hash) {
}
