package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;
import java.util.List;

/** The token is in no state for the request (rotating a revoked or expired token): 409. */
public class TokenConflictException extends ProblemException {

    /** A token is rotated at most once: a second or concurrent rotation of it is refused. */
    public static final String ALREADY_ROTATED = "token-already-rotated";

    private final String rule;

    static TokenConflictException alreadyRotated(String key) {
        return new TokenConflictException(ALREADY_ROTATED, "token " + key + " was rotated already: a token is"
                + " rotated at most once, and its grace is fixed when it is; rotate its replacement instead");
    }

    public TokenConflictException(String rule, String message) {
        super(409, "conflict", "The token's state does not allow this", message, null);
        this.rule = rule;
    }

    @Override
    public List<FieldRule> errors() {
        return List.of(new FieldRule(null, rule, getMessage()));
    }
}
