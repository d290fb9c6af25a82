package dev.tokenbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestRulesTest {

    @Test
    void aGraceLiesBetweenNothingAndTheMaximum() {
        Duration day = Duration.ofDays(1);
        assertTrue(RequestRules.grace((Duration) null, day).isEmpty());
        assertTrue(RequestRules.grace(Duration.ZERO, day).isEmpty());
        assertTrue(RequestRules.grace(day, day).isEmpty());
        assertEquals("grace-too-long", RequestRules.grace(day.plusSeconds(1), day).orElseThrow().rule());
        assertEquals("grace", RequestRules.grace(Duration.ofSeconds(-1), day).orElseThrow().field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h", "PT", "", "P1Y", "PT1H "})
    void aGraceAsSentIsAnIso8601Duration(String grace) {
        assertEquals("grace-format", RequestRules.grace(grace, Duration.ofDays(1)).orElseThrow().rule());
    }

    @Test
    void aGraceAsSentIsThenCheckedForItsRange() {
        Duration day = Duration.ofDays(1);
        assertTrue(RequestRules.grace((String) null, day).isEmpty());
        assertTrue(RequestRules.grace("PT1H", day).isEmpty());
        assertEquals("grace-too-long", RequestRules.grace("PT25H", day).orElseThrow().rule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "caf\u00e9", "tab\there", "line\nbreak"})
    void anIdempotencyKeyIsPrintableAsciiAndNotBlank(String key) {
        assertEquals("idempotency-key-format", RequestRules.idempotencyKey(key).orElseThrow().rule());
    }

    @Test
    void ordinaryKeysPass() {
        assertTrue(RequestRules.idempotencyKey("nightly-2026-12-02").isEmpty());
        assertTrue(RequestRules.idempotencyKey("k".repeat(255)).isEmpty());
        assertEquals("idempotency-key-format", RequestRules.idempotencyKey("k".repeat(256)).orElseThrow().rule());
    }
}
