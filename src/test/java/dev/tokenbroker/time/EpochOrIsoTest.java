package dev.tokenbroker.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

class EpochOrIsoTest {

    static boolean withinBounds(Instant instant) {
        return !instant.isBefore(EpochOrIso.TOO_EARLY) && !instant.isAfter(EpochOrIso.TOO_LATE);
    }

    @Test
    void anyNumberOfSecondsGivesABoundedInstantAtOnce() {
        JqwikSession.start();
        Arbitrary<BigDecimal> numbers = Arbitraries.oneOf(
                Arbitraries.longs().map(BigDecimal::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40))
                        .map(BigDecimal::new),
                Arbitraries.integers().between(-400_000_000, 400_000_000)
                        .map(exponent -> new BigDecimal(BigInteger.ONE, -exponent)),
                Arbitraries.doubles().map(BigDecimal::valueOf));
        RandomGenerator<BigDecimal> generator = numbers.generatorWithEmbeddedEdgeCases(1000);
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            BigDecimal seconds = generator.next(random).value();
            Instant read = EpochOrIso.fromEpochSeconds(seconds);
            assertTrue(withinBounds(read), seconds + " read as " + read);
            if (EpochOrIso.inRange(read) && seconds.abs().compareTo(BigDecimal.ONE) >= 0) {
                assertEquals(seconds.toBigInteger().longValueExact(), read.getEpochSecond(), seconds.toString());
            }
        }
        JqwikSession.finish();
    }

    @Test
    void anyTextIsReadOrRefusedWithoutFailing() {
        JqwikSession.start();
        RandomGenerator<String> generator = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789-+.:TZ ").ofMaxLength(40))
                .generatorWithEmbeddedEdgeCases(1000);
        Random random = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            String text = generator.next(random).value();
            Optional<Instant> read = EpochOrIso.parse(text);
            read.ifPresent(instant -> assertTrue(withinBounds(instant), text + " read as " + instant));
        }
        JqwikSession.finish();
    }

    @Test
    void readsBothFormsAndBoundsTheFarOnes() {
        assertEquals(Optional.of(Instant.parse("2027-06-01T00:00:00Z")), EpochOrIso.parse("2027-06-01T02:00:00+02:00"));
        assertEquals(Optional.of(Instant.ofEpochSecond(1_800_000_000)), EpochOrIso.parse(" 1800000000.9 "));
        assertEquals(Optional.of(EpochOrIso.TOO_LATE), EpochOrIso.parse("+300000000-01-01T00:00:00Z"));
        assertEquals(Optional.of(EpochOrIso.TOO_EARLY), EpochOrIso.parse("-352154238457667163"));
        assertEquals(EpochOrIso.TOO_LATE, EpochOrIso.fromEpochSeconds(new BigDecimal("1e300000000")));
        assertEquals(Instant.EPOCH, EpochOrIso.fromEpochSeconds(new BigDecimal("1e-300000000")));
        assertEquals(Optional.empty(), EpochOrIso.parse("next tuesday"));
    }
}
