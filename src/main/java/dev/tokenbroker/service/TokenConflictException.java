package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;
import java.util.List;

/** The token is in no state for the request (rotating a revoked or expired token): 409. */
public class TokenConflictException extends ProblemException {

    private final String rule;

    public TokenConflictException(String rule, String message) {
        super(409, "conflict", "The token's state does not allow this", message, null);
        this.rule = rule;
    }

    @Override
    public List<FieldRule> errors() {
        return List.of(new FieldRule(null, rule, getMessage()));
    }
}
