package dev.tokenbroker.service;

import dev.tokenbroker.policy.Decision;

/** The policy refused the request; the decision lists every rule broken. */
public class PolicyDeniedException extends RuntimeException {

    private final Decision.Denied decision;

    public PolicyDeniedException(Decision.Denied decision) {
        super("request refused by policy: " + decision.violations().size() + " rule(s) broken");
        this.decision = decision;
    }

    public Decision.Denied decision() {
        return decision;
    }
}
