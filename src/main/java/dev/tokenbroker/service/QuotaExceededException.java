package dev.tokenbroker.service;

import dev.tokenbroker.policy.QuotaPolicy;
import dev.tokenbroker.problem.ProblemException;
import java.util.List;
import java.util.OptionalInt;

/** A quota refused the issuance: 429, with when to try again. */
public class QuotaExceededException extends ProblemException {

    private final QuotaPolicy.Exceeded exceeded;

    public QuotaExceededException(QuotaPolicy.Exceeded exceeded) {
        super(429, "quota-exceeded", "Quota exceeded", exceeded.message(), null);
        this.exceeded = exceeded;
    }

    @Override
    public List<FieldRule> errors() {
        return List.of(new FieldRule(null, exceeded.rule(), exceeded.message()));
    }

    @Override
    public OptionalInt retryAfterSeconds() {
        return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, exceeded.retryAfter().toSeconds()));
    }
}
