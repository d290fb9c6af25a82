package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;
import java.util.List;

/** A request header breaks its rule: 400, naming the header. */
public class InvalidHeaderException extends ProblemException {

    private final String header;
    private final String rule;

    InvalidHeaderException(String header, String rule, String message) {
        super(400, "invalid-header", "A request header is invalid", message, null);
        this.header = header;
        this.rule = rule;
    }

    @Override
    public List<FieldRule> errors() {
        return List.of(new FieldRule(header, rule, getMessage()));
    }
}
