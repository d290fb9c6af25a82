package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;
import java.util.List;

/** A query parameter the service cannot honour; {@code field} names it. */
public class InvalidQueryException extends ProblemException {

    private final String field;

    public InvalidQueryException(String field, String message) {
        super(400, "invalid-query", "A query parameter is invalid", message, null);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public List<FieldRule> errors() {
        return List.of(new FieldRule(field, "query-parameter", getMessage()));
    }
}
