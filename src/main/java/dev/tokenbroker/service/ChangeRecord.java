package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.policy.Caller;
import java.time.Instant;
import java.util.UUID;

/** An audit record of a change that is not an issuance: a claim, new owners, a revocation. */
final class ChangeRecord {

    static final String CLAIM = "claim";
    static final String SET_OWNERS = "set-owners";
    static final String REVOKE = "revoke";
    static final String SET_POLICY = "set-policy";
    static final String DELETE_POLICY = "delete-policy";

    private ChangeRecord() {
    }

    static AuditEvent of(Caller actor, RequestContext context, Instant at, String action, String username,
            AuditOutcome outcome, String reason, String tokenKey) {
        return new AuditEvent(UUID.randomUUID().toString(), UUID.randomUUID().toString(), at, context.requestId(),
                actor.username(), actor.tokenKey(), actor.tokenType(), context.clientAddress(), context.userAgent(),
                action, username, null, null, null, outcome, withPresentedService(actor, reason), tokenKey);
    }

    /**
     * The reason, noting which application's token the caller presented to the ingress
     * (X-Auth-Request-Service) when it said so: who acted, and through what.
     */
    static String withPresentedService(Caller actor, String reason) {
        if (actor.presentedService() == null) {
            return reason;
        }
        String note = "presented a token of service " + actor.presentedService();
        return reason == null ? note : reason + "; " + note;
    }

    /** A change the broker makes on its own schedule, on behalf of whoever asked for it earlier. */
    static AuditEvent scheduled(String onBehalfOf, Instant at, String action, String username, AuditOutcome outcome,
            String reason, String tokenKey) {
        return new AuditEvent(UUID.randomUUID().toString(), UUID.randomUUID().toString(), at,
                "scheduled-" + UUID.randomUUID(), onBehalfOf, "", "scheduled", null, null, action, username, null,
                null, null, outcome, reason, tokenKey);
    }
}
