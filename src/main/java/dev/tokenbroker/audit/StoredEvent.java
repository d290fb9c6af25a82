package dev.tokenbroker.audit;

/**
 * An audit record as linked into the chain at position {@code seq}, in the record
 * format it was written in (see {@link HashChain#FORMAT}).
 */
public record StoredEvent(long seq, int format, AuditEvent event, String prevHash, String hash) {
}
