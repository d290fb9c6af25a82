package dev.tokenbroker.problem;

import java.util.List;
import java.util.OptionalInt;

/**
 * A failure that knows how it is answered, as Gafaelfawr's exceptions carry their
 * {@code status_code} and {@code error}: an HTTP status, a stable problem kind, a
 * title and, where the request's fields are at fault, one entry per broken rule.
 * The message is shown to the caller, so it must never carry a secret.
 */
public abstract class ProblemException extends RuntimeException {

    /** One broken rule: the field at fault (null for rules about the caller), a stable rule id, and why. */
    public record FieldRule(String field, String rule, String message) {
    }

    private final int status;
    private final String kind;
    private final String title;

    protected ProblemException(int status, String kind, String title, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.kind = kind;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public List<FieldRule> errors() {
        return List.of();
    }

    /** When a retry may succeed, in seconds (Retry-After). */
    public OptionalInt retryAfterSeconds() {
        return OptionalInt.empty();
    }
}
