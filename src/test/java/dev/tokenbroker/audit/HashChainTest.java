package dev.tokenbroker.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashChainTest {

    static AuditEvent event(String displayName, String reason) {
        return new AuditEvent("id-1", "issuance-1", Instant.parse("2026-11-27T12:00:00.123456Z"), "req-1", "alice",
                "aliceTokenKey000000000", "user", "10.0.0.1", "curl/8", "issue", "bot-a", displayName,
                List.of("write:sasquatch"), Instant.parse("2027-01-01T00:00:00Z"), AuditOutcome.ISSUED, reason,
                "mintedTokenKey00000000");
    }

    @Test
    void sameRecordSameHash() {
        assertEquals(HashChain.hash(1, HashChain.GENESIS, event("A bot", null)),
                HashChain.hash(1, HashChain.GENESIS, event("A bot", null)));
    }

    @Test
    void everyInputChangesTheHash() {
        String base = HashChain.hash(1, HashChain.GENESIS, event("A bot", null));
        assertNotEquals(base, HashChain.hash(2, HashChain.GENESIS, event("A bot", null)));
        assertNotEquals(base, HashChain.hash(1, "1".repeat(64), event("A bot", null)));
        assertNotEquals(base, HashChain.hash(1, HashChain.GENESIS, event("A bot.", null)));
        assertNotEquals(base, HashChain.hash(1, HashChain.GENESIS, event("A bot", "")));
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        // Moving text from one field to the next must not give the same encoding.
        assertNotEquals(HashChain.canonical(1, event("ab", "c")), HashChain.canonical(1, event("a", "bc")));
        assertNotEquals(HashChain.canonical(1, event("a\nreason=1:x", null)), HashChain.canonical(1, event("a", "x")));
    }

    @Test
    void timesAreKeptToTheMillisecond() {
        assertEquals(Instant.parse("2026-11-27T12:00:00.123Z"), event("A bot", null).time());
    }

    @Test
    void longTextIsCutToItsColumnBeforeHashing() {
        AuditEvent cut = event("n".repeat(1000), null);
        assertEquals(256, cut.displayName().length());
    }
}
