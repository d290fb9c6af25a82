package dev.tokenbroker.registry;

import dev.tokenbroker.policy.Owners;
import java.time.Instant;

/** A bot as the broker keeps it; claimedBy and claimedAt are null when nobody claimed it. */
public record Bot(String username, Instant createdAt, String claimedBy, Instant claimedAt, Owners owners,
        long activeTokens) {

    /** Where a page of bots ended: the next page starts after it (newest first). */
    public record Cursor(long createdAt, String username) {
    }

    public Cursor cursor() {
        return new Cursor(createdAt.toEpochMilli(), username);
    }
}
