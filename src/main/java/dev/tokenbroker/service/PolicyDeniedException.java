package dev.tokenbroker.service;

import dev.tokenbroker.policy.Decision;
import dev.tokenbroker.policy.Violation;
import dev.tokenbroker.problem.ProblemException;
import java.util.List;
import java.util.stream.Collectors;

/** The policy refused the request: 422 when a rule of the request is broken, else 403; every rule is listed. */
public class PolicyDeniedException extends ProblemException {

    private final Decision.Denied decision;

    public PolicyDeniedException(Decision.Denied decision) {
        super(decision.invalid() ? 422 : 403,
                decision.invalid() ? "policy-violation" : "forbidden",
                decision.invalid() ? "Request breaks the broker's policy" : "Caller may not have this token",
                decision.violations().stream().map(Violation::message).collect(Collectors.joining("; ")), null);
        this.decision = decision;
    }

    public Decision.Denied decision() {
        return decision;
    }

    @Override
    public List<FieldRule> errors() {
        return decision.violations().stream().map(v -> new FieldRule(v.field(), v.rule(), v.message())).toList();
    }
}
