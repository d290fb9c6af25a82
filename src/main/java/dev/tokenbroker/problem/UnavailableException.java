package dev.tokenbroker.problem;

import java.util.OptionalInt;

/**
 * A store the broker depends on cannot be read or written: 503, and one answer to
 * "when may I retry" for all of them. The message names what was being done, never a secret.
 */
public abstract class UnavailableException extends ProblemException {

    /** Long enough for a database failover or a pool to recover; short enough for automation to wait. */
    private static final int RETRY_AFTER_SECONDS = 30;

    protected UnavailableException(String kind, String title, String message, Throwable cause) {
        super(503, kind, title, message, cause);
    }

    @Override
    public OptionalInt retryAfterSeconds() {
        return OptionalInt.of(RETRY_AFTER_SECONDS);
    }
}
