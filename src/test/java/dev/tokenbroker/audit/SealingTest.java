package dev.tokenbroker.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.support.AuditDatabase;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Appends only queue a record; sealing links queued records into the chain in
 * append order, once each, however many sealers run at once. The scheduled
 * sealer is off here so that each step is the test's own.
 */
@QuarkusTest
@TestProfile(SealingTest.SealerOff.class)
class SealingTest {

    public static class SealerOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    @Inject
    AuditStore store;

    @Inject
    ChainVerifier verifier;

    @Inject
    AgroalDataSource dataSource;

    static AuditEvent event(Instant time, String username) {
        return new AuditEvent(UUID.randomUUID().toString(), UUID.randomUUID().toString(), time, "req-sealing",
                "alice", "aliceTokenKey000000000", "user", "127.0.0.1", "test", "issue", username, null,
                List.of("write:sasquatch"), null, AuditOutcome.DENIED, "test", null);
    }

    void sealAll() {
        while (store.sealPending(1000) > 0) {
            // until the queue is empty
        }
    }

    @Test
    void appendsQueueAndSealingLinksInAppendOrder() {
        sealAll();
        long before = store.head().seq();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(store.append(event(Instant.now(), "bot-order")).event().id());
        }
        assertEquals(before, store.head().seq(), "an append does not touch the chain");
        ChainVerification pending = verifier.verify();
        assertTrue(pending.intact(), pending.problem());
        assertEquals(5, pending.unsealed());
        sealAll();
        AuditDatabase database = new AuditDatabase(dataSource);
        for (int i = 0; i < 5; i++) {
            assertEquals(ids.get(i), database.eventAt(before + 1 + i), "sealed in append order");
        }
        ChainVerification sealed = verifier.verify();
        assertTrue(sealed.intact(), sealed.problem());
        assertEquals(0, sealed.unsealed());
    }

    @Test
    void aRecordLeftUnsealedTooLongFailsVerification() {
        sealAll();
        store.append(event(Instant.now().minus(Duration.ofMinutes(5)), "bot-stale"));
        ChainVerification report = verifier.verify();
        assertFalse(report.intact());
        assertTrue(report.problem().contains("stayed unsealed"), report.problem());
        sealAll();
        assertTrue(verifier.verify().intact());
    }

    @Test
    void concurrentSealersLinkEveryRecordOnce() throws Exception {
        sealAll();
        long before = store.head().seq();
        for (int i = 0; i < 300; i++) {
            store.append(event(Instant.now(), "bot-concurrent-seal"));
        }
        ExecutorService sealers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> sealed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sealed.add(sealers.submit(() -> {
                    int total = 0;
                    for (int round = 0; round < 200 && new AuditDatabase(dataSource).unsealed() > 0; round++) {
                        total += store.sealPending(25);
                    }
                    return total;
                }));
            }
            int total = 0;
            for (Future<Integer> count : sealed) {
                total += count.get();
            }
            assertEquals(300, total, "each record sealed exactly once");
        } finally {
            sealers.shutdown();
        }
        assertEquals(before + 300, store.head().seq());
        ChainVerification report = verifier.verify();
        assertTrue(report.intact(), report.problem());
    }
}
