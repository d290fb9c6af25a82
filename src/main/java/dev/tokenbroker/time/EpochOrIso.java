package dev.tokenbroker.time;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one reading of a point in time that the broker and its emulator accept, as
 * Gafaelfawr does: epoch seconds (a number, or its digits in a string, fractions
 * dropped) or an ISO 8601 date-time with offset.
 *
 * <p>Values are bounded before any arithmetic, so that no input costs more than its
 * length to read (a BigDecimal such as {@code 1e300000000} is never rescaled).
 * A well-formed value outside years 0000 to 9999 comes back as {@link #TOO_EARLY}
 * or {@link #TOO_LATE}: callers refuse it by their own rule (a query answers 400,
 * an expiry breaks the lifetime rule), and it never reaches the database.
 */
public final class EpochOrIso {

    public static final String EXPECTED = "an ISO 8601 date-time with offset (e.g. 2027-06-01T00:00:00Z) or epoch seconds";

    public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    public static final Instant TOO_EARLY = EARLIEST.minusSeconds(1);
    public static final Instant TOO_LATE = LATEST.plusSeconds(1);

    private static final Pattern DECIMAL = Pattern.compile("^[-+]?\\d+(\\.\\d+)?$");
    /** Integer digits beyond which a number of seconds is certainly out of range (long has 19). */
    private static final int MAX_INTEGER_DIGITS = 18;

    private EpochOrIso() {
    }

    /** Reads text; empty when it is neither form. */
    public static Optional<Instant> parse(String text) {
        String trimmed = text.strip();
        if (DECIMAL.matcher(trimmed).matches()) {
            return Optional.of(fromEpochSeconds(new BigDecimal(trimmed)));
        }
        try {
            return Optional.of(bounded(OffsetDateTime.parse(trimmed).toInstant()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Epoch seconds, fractions dropped, bounded by magnitude before any conversion. */
    public static Instant fromEpochSeconds(BigDecimal seconds) {
        if (seconds.signum() == 0 || seconds.precision() - seconds.scale() <= 0) {
            // |seconds| < 1, however many digits it is written with
            return Instant.EPOCH;
        }
        if (seconds.precision() - seconds.scale() > MAX_INTEGER_DIGITS) {
            return seconds.signum() > 0 ? TOO_LATE : TOO_EARLY;
        }
        long whole = seconds.setScale(0, RoundingMode.DOWN).longValueExact();
        if (whole < EARLIEST.getEpochSecond()) {
            return TOO_EARLY;
        }
        return whole > LATEST.getEpochSecond() ? TOO_LATE : Instant.ofEpochSecond(whole);
    }

    public static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    private static Instant bounded(Instant instant) {
        if (instant.isBefore(EARLIEST)) {
            return TOO_EARLY;
        }
        return instant.isAfter(LATEST) ? TOO_LATE : instant;
    }
}
