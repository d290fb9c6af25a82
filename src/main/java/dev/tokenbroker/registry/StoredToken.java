package dev.tokenbroker.registry;

import java.time.Instant;
import java.util.List;

/**
 * A token the broker minted (state issued) or is minting (pending). Never its secret.
 * revokeAfter is a rotation's scheduled revocation; revokedAt is set once it is revoked;
 * rotatedAt once a rotation reserved its successor (a token is rotated at most once).
 */
public record StoredToken(String issuanceId, String username, State state, String key, String name,
        List<String> scopes, Instant expires, String requestedBy, Instant reservedAt, Instant issuedAt,
        String replaces, Instant revokeAfter, String revokeActor, Instant revokedAt, String revokedBy,
        Instant rotatedAt) {

    /** Reserved and being minted (or its outcome unknown), or minted and delivered. */
    public enum State {
        PENDING, ISSUED;

        /** As the state column holds it. */
        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State ofColumn(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * The one definition of an active token, in SQL: issued, not revoked, not expired (one
     * parameter: now, in epoch seconds). {@code alias} qualifies the columns, or is empty.
     */
    static String active(String alias) {
        return alias + "state = '" + State.ISSUED.column() + "' AND " + holdsQuotaPlace(alias);
    }

    /** What a bot's quota counts: active, or reserved and still being minted (one parameter: now). */
    static String holdsQuotaPlace(String alias) {
        return alias + "revoked_at IS NULL AND " + alias + "expires > ?";
    }

    /** Where a page of tokens ended: the next page starts after it (newest first). */
    public record Cursor(long reservedAt, String issuanceId) {
    }

    public Cursor cursor() {
        return new Cursor(reservedAt.toEpochMilli(), issuanceId);
    }
}
