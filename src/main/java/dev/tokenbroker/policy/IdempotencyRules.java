package dev.tokenbroker.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * What an Idempotency-Key (IETF httpapi draft) allows a new attempt, given what an earlier
 * attempt with the same key left. Invariant: at most one live token per key. Pure; the
 * service applies it to what the database holds.
 */
public final class IdempotencyRules {

    /** What the new attempt may do. */
    public enum Verdict {
        /** The key was free: mint. */
        FRESH,
        /** The same key with another body: 422. */
        MISMATCH,
        /** The earlier attempt may still be running: 409, ask again later. */
        IN_FLIGHT,
        /** The earlier attempt ended without a token: mint. */
        RETRY,
        /** The earlier attempt delivered a token its caller never received: revoke it, then mint. */
        REPLAY
    }

    /** An earlier attempt as found: finished (delivered or not), or still claimed since {@code updatedAt}. */
    public record Earlier(boolean sameBody, boolean finished, boolean delivered, Instant updatedAt,
            boolean stillPending) {
    }

    private IdempotencyRules() {
    }

    /**
     * A running attempt may be followed only once it is settled (no answer from Gafaelfawr can
     * still come: {@code settled} after it last moved) and left no pending reservation.
     */
    public static Verdict verdict(Earlier earlier, Instant now, Duration settled) {
        if (earlier == null) {
            return Verdict.FRESH;
        }
        if (!earlier.sameBody()) {
            return Verdict.MISMATCH;
        }
        if (!earlier.finished()
                && (!earlier.updatedAt().isBefore(now.minus(settled)) || earlier.stillPending())) {
            return Verdict.IN_FLIGHT;
        }
        return earlier.delivered() ? Verdict.REPLAY : Verdict.RETRY;
    }

    /** Whole seconds until a running attempt is settled, at least one: the 409's Retry-After. */
    public static int retryAfter(Instant updatedAt, Instant now, Duration settled) {
        return (int) Math.max(1, Duration.between(now, updatedAt.plus(settled)).toSeconds());
    }
}
