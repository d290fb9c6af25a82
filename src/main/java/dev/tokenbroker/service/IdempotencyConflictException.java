package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;
import java.util.List;
import java.util.OptionalInt;

/** The Idempotency-Key cannot be used now: 409 while its first attempt runs, 422 for another body. */
public class IdempotencyConflictException extends ProblemException {

    private final String rule;
    private final Integer retryAfter;

    IdempotencyConflictException(int status, String rule, String message, Integer retryAfter) {
        super(status, "idempotency-conflict", "The Idempotency-Key is in use", message, null);
        this.rule = rule;
        this.retryAfter = retryAfter;
    }

    @Override
    public List<FieldRule> errors() {
        return List.of(new FieldRule(IdempotencyKeys.HEADER, rule, getMessage()));
    }

    @Override
    public OptionalInt retryAfterSeconds() {
        return retryAfter == null ? OptionalInt.empty() : OptionalInt.of(retryAfter);
    }
}
