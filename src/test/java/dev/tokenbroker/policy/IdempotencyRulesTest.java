package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.IdempotencyRules.Verdict.FRESH;
import static dev.tokenbroker.policy.IdempotencyRules.Verdict.IN_FLIGHT;
import static dev.tokenbroker.policy.IdempotencyRules.Verdict.MISMATCH;
import static dev.tokenbroker.policy.IdempotencyRules.Verdict.REPLAY;
import static dev.tokenbroker.policy.IdempotencyRules.Verdict.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdempotencyRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration SETTLED = Duration.ofSeconds(31);

    private static IdempotencyRules.Verdict verdict(boolean sameBody, boolean finished, boolean delivered,
            Duration ago, boolean pending) {
        return IdempotencyRules.verdict(new IdempotencyRules.Earlier(sameBody, finished, delivered, NOW.minus(ago),
                pending), NOW, SETTLED);
    }

    @Test
    void aFreeKeyMints() {
        assertEquals(FRESH, IdempotencyRules.verdict(null, NOW, SETTLED));
    }

    @Test
    void anotherBodyIsRefusedWhateverTheEarlierAttemptDid() {
        assertEquals(MISMATCH, verdict(false, true, true, Duration.ofHours(1), false));
        assertEquals(MISMATCH, verdict(false, false, false, Duration.ZERO, true));
    }

    @Test
    void aRunningAttemptIsFollowedOnlyOnceSettledAndNothingIsPending() {
        assertEquals(IN_FLIGHT, verdict(true, false, false, Duration.ofSeconds(30), false));
        assertEquals(IN_FLIGHT, verdict(true, false, false, Duration.ofSeconds(40), true));
        assertEquals(RETRY, verdict(true, false, false, Duration.ofSeconds(40), false));
    }

    @Test
    void aFinishedAttemptIsRetriedOrReplayed() {
        assertEquals(RETRY, verdict(true, true, false, Duration.ZERO, false));
        assertEquals(REPLAY, verdict(true, true, true, Duration.ZERO, false));
    }

    @Test
    void retryAfterIsTheTimeLeftUntilSettledAndAtLeastASecond() {
        assertEquals(21, IdempotencyRules.retryAfter(NOW.minusSeconds(10), NOW, SETTLED));
        assertEquals(1, IdempotencyRules.retryAfter(NOW.minusSeconds(60), NOW, SETTLED));
    }
}
