package dev.tokenbroker.audit;

import java.time.Instant;

/** Which records to list; null fields do not filter. {@code until} is inclusive. */
public record AuditFilter(String callerUsername, String targetUsername, AuditOutcome outcome, String tokenKey,
        Instant since, Instant until) {

    public AuditFilter withCaller(String caller) {
        return new AuditFilter(caller, targetUsername, outcome, tokenKey, since, until);
    }
}
