package dev.tokenbroker.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Any record the broker can write, whatever text a request carried (NUL, unpaired
 * surrogates, empty and spaced scopes, thousands of characters), reads back from
 * the database as exactly what was hashed, and the chain verifies.
 */
@QuarkusTest
class AuditRoundTripPropertyTest {

    @Inject
    AuditStore store;

    @Inject
    ChainVerifier chain;

    @Test
    void everyWritableRecordReadsBackAsHashed() {
        int cases = Integer.getInteger("roundtrip.cases", 1000);
        long seed = Long.getLong("roundtrip.seed", new Random().nextLong());
        JqwikSession.start();
        RandomGenerator<AuditEvent> generator = events().generatorWithEmbeddedEdgeCases(100);
        Random random = new Random(seed);
        for (int i = 0; i < cases; i++) {
            StoredEvent written = store.append(generator.next(random).value());
            AuditStore.SealedRecord sealed = sealedLink(written.event().id());
            assertEquals(written.event(), sealed.record().event(), "seed " + seed + ": record reads back as written");
            assertEquals(written.format(), sealed.record().format());
            assertEquals(sealed.link().hash(), HashChain.hash(sealed.record(), sealed.link().seq(),
                    sealed.link().prevHash()), "seed " + seed + ": the hash of what was read back");
        }
        JqwikSession.finish();
        assertTrue(chain.verify().intact(), "seed " + seed + ": the chain verifies");
    }

    /** Seals (or waits for the scheduled sealer to seal) and reads back the newest link, which must be the record's. */
    AuditStore.SealedRecord sealedLink(String id) {
        for (int attempt = 0; attempt < 500; attempt++) {
            store.sealPending(100);
            long head = store.head().seq();
            AuditStore.SealedRecord last = store.inSnapshot(snapshot -> {
                try {
                    return snapshot.chainAfter(head - 1, 1).get(0);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            if (id.equals(last.eventId())) {
                return last;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("record " + id + " was never sealed");
    }

    static Arbitrary<AuditEvent> events() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().all().ofMinLength(200).ofMaxLength(3000),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(4),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMaxLength(4),
                Arbitraries.of("", " ", "a b", "\"", "\\", "[\"x\"]", "\ud83d\ude80"));
        Arbitrary<String> optionalText = Arbitraries.oneOf(text, Arbitraries.just(null));
        Arbitrary<List<String>> scopes = Arbitraries.oneOf(text.list().ofMaxSize(150),
                Arbitraries.just(null), Arbitraries.just(List.of()));
        Arbitrary<Instant> expires = Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.longs().between(-62_167_219_200L, 253_402_300_799L).map(Instant::ofEpochSecond));
        Arbitrary<AuditOutcome> outcome = Arbitraries.of(AuditOutcome.class);
        Arbitrary<String> key = Arbitraries.strings().withChars("ABCabc019_-").ofLength(22);
        return Combinators.combine(text, text, optionalText, optionalText, optionalText, optionalText, scopes, expires)
                .flatAs((requestId, caller, address, agent, username, name, scopeList, expiry) ->
                        Combinators.combine(optionalText, outcome, key, Arbitraries.oneOf(key, Arbitraries.just(null)))
                                .as((reason, result, callerKey, tokenKey) -> new AuditEvent(
                                        UUID.randomUUID().toString(), UUID.randomUUID().toString(), Instant.now(),
                                        requestId, caller, callerKey, "user", address, agent, "issue", username,
                                        name, scopeList, expiry, result, reason, tokenKey)));
    }
}
