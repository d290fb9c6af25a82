package dev.tokenbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenStateTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(3600);
    private static final Instant EARLIER = NOW.minusSeconds(3600);

    @Test
    void revokedByTheBrokerIsRevokedWhateverGafaelfawrLists() {
        assertEquals(TokenState.REVOKED, TokenState.of(true, LATER, true, LATER.getEpochSecond(), NOW));
    }

    @Test
    void listedByGafaelfawrIsActiveUntilItsExpiry() {
        assertEquals(TokenState.ACTIVE, TokenState.of(false, LATER, true, LATER.getEpochSecond(), NOW));
        assertEquals(TokenState.ACTIVE, TokenState.of(false, LATER, true, null, NOW));
        // Gafaelfawr 15.x lists expired tokens until maintenance purges them.
        assertEquals(TokenState.EXPIRED, TokenState.of(false, EARLIER, true, EARLIER.getEpochSecond(), NOW));
    }

    @Test
    void missingFromGafaelfawrIsExpiredWhenItsTimeIsUpElseRevokedElsewhere() {
        assertEquals(TokenState.EXPIRED, TokenState.of(false, EARLIER, false, null, NOW));
        assertEquals(TokenState.REVOKED, TokenState.of(false, LATER, false, null, NOW));
    }
}
