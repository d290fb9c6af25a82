package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.time.Duration;
import java.util.Optional;

/**
 * Rules of the lifecycle requests beside a mint's body: a rotation's grace and an
 * Idempotency-Key's form. Pure, like every rule here; the service applies them.
 */
public final class RequestRules {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private RequestRules() {
    }

    /**
     * A rotation's grace: absent means none (revoked at once), else between PT0S and the
     * configured maximum ({@code broker.policy.max-rotation-grace}).
     */
    public static Optional<Violation> grace(Duration requested, Duration maximum) {
        Duration wait = requested == null ? Duration.ZERO : requested;
        if (wait.isNegative() || wait.compareTo(maximum) > 0) {
            return Optional.of(new Violation("grace", "grace-too-long", INVALID,
                    "grace must be between PT0S and " + maximum));
        }
        return Optional.empty();
    }

    /** A grace as sent: an ISO 8601 duration such as PT1H (absent: none), then {@link #grace(Duration, Duration)}. */
    public static Optional<Violation> grace(String requested, Duration maximum) {
        if (requested == null) {
            return Optional.empty();
        }
        try {
            return grace(Duration.parse(requested), maximum);
        } catch (RuntimeException e) {
            return Optional.of(new Violation("grace", "grace-format", INVALID,
                    "grace must be an ISO 8601 duration such as PT1H"));
        }
    }

    /**
     * 1 to 255 printable ASCII characters, as the IETF httpapi draft allows, and not blank:
     * an empty key (a script whose variable is unset) must not switch idempotency off silently.
     */
    public static Optional<Violation> idempotencyKey(String key) {
        boolean printable = !key.isBlank() && key.length() <= 255
                && key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
        return printable ? Optional.empty() : Optional.of(new Violation(IDEMPOTENCY_KEY, "idempotency-key-format",
                INVALID, IDEMPOTENCY_KEY + " must be 1 to 255 printable ASCII characters, not blank"));
    }
}
