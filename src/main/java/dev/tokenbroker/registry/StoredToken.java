package dev.tokenbroker.registry;

import java.time.Instant;
import java.util.List;

/**
 * A token the broker minted (state issued) or is minting (pending). Never its secret.
 * revokeAfter is a rotation's scheduled revocation; revokedAt is set once it is revoked;
 * rotatedAt once a rotation reserved its successor (a token is rotated at most once).
 */
public record StoredToken(String issuanceId, String username, String state, String key, String name,
        List<String> scopes, Instant expires, String requestedBy, Instant reservedAt, Instant issuedAt,
        String replaces, Instant revokeAfter, String revokeActor, Instant revokedAt, String revokedBy,
        Instant rotatedAt) {

    public static final String PENDING = "pending";
    public static final String ISSUED = "issued";

    /** Where a page of tokens ended: the next page starts after it (newest first). */
    public record Cursor(long reservedAt, String issuanceId) {
    }

    public Cursor cursor() {
        return new Cursor(reservedAt.toEpochMilli(), issuanceId);
    }
}
