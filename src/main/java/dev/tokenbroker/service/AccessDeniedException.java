package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;
import java.util.List;

/** The caller is authenticated but may not do this; with a rule id when one names why. */
public class AccessDeniedException extends ProblemException {

    private final String rule;

    public AccessDeniedException(String message) {
        this(null, message);
    }

    public AccessDeniedException(String rule, String message) {
        super(403, "forbidden", "Forbidden", message, null);
        this.rule = rule;
    }

    @Override
    public List<FieldRule> errors() {
        return rule == null ? List.of() : List.of(new FieldRule(null, rule, getMessage()));
    }
}
