package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.policy.Caller;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The facts of one issuance attempt that every audit record of it repeats. */
final class IssuanceRecord {

    static final String ACTION = "issue";

    private final String issuanceId;
    private final Caller caller;
    private final RequestContext context;
    private final Clock clock;
    private final String username;
    private final String displayName;
    private final List<String> scopes;
    private final Instant expires;

    IssuanceRecord(Caller caller, RequestContext context, Clock clock, String username, String displayName,
            List<String> scopes, Instant expires) {
        this(UUID.randomUUID().toString(), caller, context, clock, username, displayName, scopes, expires);
    }

    IssuanceRecord(String issuanceId, Caller caller, RequestContext context, Clock clock, String username,
            String displayName, List<String> scopes, Instant expires) {
        this.issuanceId = issuanceId;
        this.caller = caller;
        this.context = context;
        this.clock = clock;
        this.username = username;
        this.displayName = displayName;
        this.scopes = scopes;
        this.expires = expires;
    }

    String username() {
        return username;
    }

    String issuanceId() {
        return issuanceId;
    }

    AuditEvent event(AuditOutcome outcome, String reason, String tokenKey) {
        return new AuditEvent(UUID.randomUUID().toString(), issuanceId, clock.instant(), context.requestId(),
                caller.username(), caller.tokenKey(), caller.tokenType(), context.clientAddress(),
                context.userAgent(), ACTION, username, displayName, scopes, expires, outcome,
                ChangeRecord.withPresentedService(caller, reason), tokenKey);
    }
}
