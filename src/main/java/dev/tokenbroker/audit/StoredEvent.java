package dev.tokenbroker.audit;

/**
 * An audit record as stored: its entry number ({@code seq}, the order of appends),
 * the record format it was written in (see {@link HashChain#FORMAT}) and, once the
 * sealer has linked it into the hash chain, its link (null until then).
 */
public record StoredEvent(long seq, int format, AuditEvent event, ChainLink link) {

    StoredEvent sealedAs(ChainLink sealed) {
        return new StoredEvent(seq, format, event, sealed);
    }
}
