package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.audit.AuditStoreException;
import dev.tokenbroker.problem.UnavailableException;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.GafaelfawrException;
import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import dev.tokenbroker.gafaelfawr.ServiceTokenSpec;
import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.registry.TokenStore;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Decision;
import dev.tokenbroker.policy.IssuancePolicy;
import dev.tokenbroker.policy.QuotaPolicy;
import dev.tokenbroker.policy.TokenRequest;
import dev.tokenbroker.policy.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Issuing a service token on a caller's behalf, audited write-ahead and fail-closed:
 * the intent is durable before Gafaelfawr is called, and the completion is durable
 * before the caller sees the secret. A token that was minted but could not be
 * audited is revoked, never delivered. Every authorization decision is made here.
 */
@ApplicationScoped
public class TokenIssuanceService {

    private static final Logger LOG = Logger.getLogger(TokenIssuanceService.class);

    private final IssuancePolicy policy;
    private final BotService bots;
    private final QuotaPolicy quotas;
    private final TokenStore tokens;
    private final GafaelfawrClient gafaelfawr;
    private final AuditStore audit;
    private final CompensatingRevocation revocation;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final IdempotentAttempt attempts;

    @Inject
    public TokenIssuanceService(IssuancePolicy policy, BotService bots, QuotaPolicy quotas, TokenStore tokens,
            GafaelfawrClient gafaelfawr, AuditStore audit, CompensatingRevocation revocation, BrokerMetrics metrics,
            Clock clock, IdempotentAttempt attempts) {
        this.attempts = attempts;
        this.metrics = metrics;
        this.policy = policy;
        this.bots = bots;
        this.quotas = quotas;
        this.tokens = tokens;
        this.gafaelfawr = gafaelfawr;
        this.audit = audit;
        this.revocation = revocation;
        this.clock = clock;
    }

    /** A mint: the request's policy, then the bot's ownership (claiming a new bot), then the quotas. */
    public IssuedToken issue(Caller caller, TokenRequest request, RequestContext context) {
        return mint(UUID.randomUUID().toString(), caller, allow(caller, request, context), context, Rotation.NONE);
    }

    /** What a mint replaces: the key of the rotated token, and whether this mint claims its rotation. */
    record Rotation(String replaces, boolean claims) {
        static final Rotation NONE = new Rotation(null, false);
    }

    /** The request's policy, then the bot's ownership (claiming a new bot); a refusal is audited and thrown. */
    private Decision.Allowed allow(Caller caller, TokenRequest request, RequestContext context) {
        Decision decision = policy.decide(caller, request, clock.instant());
        if (decision instanceof Decision.Denied denied) {
            throw deny(caller, context, request, denied);
        }
        Decision.Allowed allowed = untouched(caller, context, request, (Decision.Allowed) decision);
        Optional<Decision.Denied> notOwned = authorize(caller, context, allowed);
        if (notOwned.isPresent()) {
            throw deny(caller, context, request, notOwned.get());
        }
        return allowed;
    }

    /**
     * A mint under an Idempotency-Key: the same policy and ownership first, then the key is
     * claimed in the database (see {@link IdempotentAttempt}) around the mint itself.
     */
    public IssuedToken issue(Caller caller, TokenRequest request, RequestContext context, String idempotencyKey) {
        if (idempotencyKey == null) {
            return issue(caller, request, context);
        }
        IdempotentAttempt.checkKey(idempotencyKey);
        Decision.Allowed allowed = allow(caller, request, context);
        return attempts.run(caller, idempotencyKey, IdempotentAttempt.fingerprint(request), allowed.username(),
                context, (issuanceId, replay) -> mint(issuanceId, caller, allowed, context, Rotation.NONE));
    }

    private Optional<Decision.Denied> authorize(Caller caller, RequestContext context, Decision.Allowed allowed) {
        try {
            return bots.authorizeMint(caller, allowed.username(), context);
        } catch (GafaelfawrException e) {
            // A first mint asks Gafaelfawr whether the bot has tokens; without an answer nothing is minted.
            metrics.failed(e.fault().name());
            appendQuietly(new IssuanceRecord(caller, context, clock, allowed.username(), allowed.displayName(),
                    allowed.scopes(), allowed.expires()), AuditOutcome.FAILED, "claim check: " + e.getMessage(), null);
            throw e;
        }
    }

    /**
     * A rotation's replacement: the same policy as a mint (the caller was found to manage the
     * bot already). While the replaced token is live the bot's quota allows one more.
     */
    IssuedToken reissue(String issuanceId, Caller caller, TokenRequest request, RequestContext context,
            Rotation rotation) {
        Decision decision = policy.decide(caller, request, clock.instant());
        if (decision instanceof Decision.Denied denied) {
            throw deny(caller, context, request, denied);
        }
        return mint(issuanceId, caller, untouched(caller, context, request, (Decision.Allowed) decision), context,
                rotation);
    }

    /** The broker's own identity is nobody's to mint for, admins included; a refusal is audited. */
    private Decision.Allowed untouched(Caller caller, RequestContext context, TokenRequest request,
            Decision.Allowed allowed) {
        Optional<Violation> untouchable = bots.untouchable(allowed.username());
        if (untouchable.isPresent()) {
            throw deny(caller, context, request, new Decision.Denied(java.util.List.of(untouchable.get())));
        }
        return allowed;
    }

    private PolicyDeniedException deny(Caller caller, RequestContext context, TokenRequest request,
            Decision.Denied denied) {
        IssuanceRecord record = new IssuanceRecord(caller, context, clock, request.username(), request.name(),
                request.scopes(), request.expires());
        denied.violations().stream().map(Violation::rule).distinct().forEach(metrics::denied);
        String rules = denied.violations().stream().map(Violation::rule).collect(Collectors.joining(","));
        // The request changes nothing either way, so a lost denial record is logged, not fatal.
        appendQuietly(record, AuditOutcome.DENIED, "policy: " + rules, null);
        return new PolicyDeniedException(denied);
    }

    private IssuedToken mint(String issuanceId, Caller caller, Decision.Allowed allowed, RequestContext context,
            Rotation rotation) {
        IssuanceRecord record = new IssuanceRecord(issuanceId, caller, context, clock, allowed.username(),
                allowed.displayName(), allowed.scopes(), allowed.expires());
        Instant now = clock.instant();
        // One transaction: the quota place, the rotation mark and the pending audit record.
        AuditStore.Appended[] intent = new AuditStore.Appended[1];
        TokenStore.Reserved<QuotaPolicy.Exceeded> reserved;
        try {
            reserved = tokens.reserve(new TokenStore.Reservation(record.issuanceId(), allowed.username(),
                            allowed.displayName(), allowed.scopes(), allowed.expires(), caller.username(),
                            rotation.replaces(), rotation.claims()), now,
                    usage -> quotas.check(usage, now),
                    connection -> intent[0] = audit.appendStep(record.event(AuditOutcome.PENDING, null, null))
                            .apply(connection));
        } catch (UnavailableException e) {
            metrics.failed("audit_unavailable");
            LOG.errorf(e, "refusing to mint for %s: the reservation and its audit intent cannot be written",
                    allowed.username());
            throw new AuditUnavailableException("the audit log cannot be written, so no token is minted", e);
        }
        if (reserved.alreadyRotated()) {
            metrics.denied(TokenConflictException.ALREADY_ROTATED);
            appendQuietly(record, AuditOutcome.DENIED, "rotation: " + TokenConflictException.ALREADY_ROTATED, null);
            throw TokenConflictException.alreadyRotated(rotation.replaces());
        }
        Optional<QuotaPolicy.Exceeded> exceeded = reserved.refused();
        if (exceeded.isPresent()) {
            metrics.denied(exceeded.get().rule());
            appendQuietly(record, AuditOutcome.DENIED, "quota: " + exceeded.get().rule(), null);
            throw new QuotaExceededException(exceeded.get());
        }
        audit.published(intent[0]);

        GafaelfawrToken token;
        try {
            token = gafaelfawr.createServiceToken(new ServiceTokenSpec(
                    allowed.username(), allowed.displayName(), allowed.scopes(), allowed.expires()));
        } catch (GafaelfawrException e) {
            metrics.failed(e.fault().name());
            if (e.mintedKey().isPresent()) {
                // Minted, but its answer cannot be delivered: the token must not outlive this request.
                compensate(record, allowed.username(), e.mintedKey().get(), e.fault() + ": " + e.getMessage(), e);
            } else {
                AuditOutcome outcome = outcomeOf(e);
                if (outcome == AuditOutcome.FAILED) {
                    tokens.release(record.issuanceId()); // certainly nothing minted: the quota place is free
                }
                appendQuietly(record, outcome, e.fault() + ": " + e.getMessage(), null);
            }
            throw e;
        }

        try {
            // One transaction: the token row issued and its audit record.
            audit.published(tokens.issued(record.issuanceId(), token.key(), clock.instant(),
                    audit.appendStep(record.event(AuditOutcome.ISSUED, null, token.key()))));
            metrics.issued();
            return new IssuedToken(token, allowed.username(), allowed.scopes(), allowed.expires(), caller.username(),
                    record.issuanceId());
        } catch (RuntimeException e) {
            // Whatever failed after minting, the secret is not delivered, so the token is revoked.
            metrics.failed("audit_unavailable");
            compensate(record, allowed.username(), token.key(), "audit completion failed", e);
            throw new AuditUnavailableException(
                    "the audit log failed after the token was minted; it was revoked and is not delivered", e);
        }
    }

    /**
     * Minted but never delivered: revoking it harms nobody. Recorded as compensated
     * once revoked; if revocation fails too, as unknown with its key, for an operator.
     */
    private void compensate(IssuanceRecord record, String username, String key, String why, RuntimeException cause) {
        LOG.errorf(cause, "issuance %s: Gafaelfawr minted token key %s for %s but it cannot be delivered (%s):"
                + " revoking it", record.issuanceId(), key, username, why);
        try {
            revocation.revoke(username, key);
        } catch (RuntimeException e) {
            metrics.compensation(false);
            LOG.errorf(e, "COULD NOT REVOKE undelivered token key %s of %s (issuance %s): revoke it by hand",
                    key, username, record.issuanceId());
            appendQuietly(record, AuditOutcome.UNKNOWN, why + "; revocation failed", key);
            return;
        }
        metrics.compensation(true);
        releaseQuietly(record);
        LOG.warnf("revoked undelivered token key %s of %s (issuance %s)", key, username, record.issuanceId());
        appendQuietly(record, AuditOutcome.COMPENSATED, why + "; token revoked", key);
    }

    /** A revoked, undelivered token takes no place in the quotas. */
    private void releaseQuietly(IssuanceRecord record) {
        try {
            tokens.release(record.issuanceId());
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not release the quota place of issuance %s", record.issuanceId());
        }
    }

    private void appendQuietly(IssuanceRecord record, AuditOutcome outcome, String reason, String tokenKey) {
        try {
            audit.append(record.event(outcome, reason, tokenKey));
        } catch (AuditStoreException e) {
            LOG.errorf(e, "could not record %s outcome of issuance %s (token key %s)", outcome.label(),
                    record.issuanceId(), tokenKey);
        }
    }

    /** Whether Gafaelfawr may have minted despite the failure decides between failed and unknown. */
    static AuditOutcome outcomeOf(GafaelfawrException e) {
        return switch (e.fault()) {
            case UNREACHABLE, REQUEST_REFUSED, CREDENTIAL_REJECTED -> AuditOutcome.FAILED;
            case TIMEOUT, BAD_RESPONSE -> AuditOutcome.UNKNOWN;
        };
    }
}
