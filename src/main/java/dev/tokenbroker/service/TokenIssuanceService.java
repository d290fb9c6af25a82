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
import dev.tokenbroker.storage.Sql;
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
    private final IdempotencyKeys keys;

    @Inject
    public TokenIssuanceService(IssuancePolicy policy, BotService bots, QuotaPolicy quotas, TokenStore tokens,
            GafaelfawrClient gafaelfawr, AuditStore audit, CompensatingRevocation revocation, BrokerMetrics metrics,
            Clock clock, IdempotencyKeys keys) {
        this.keys = keys;
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

    /** A mint, with or without an Idempotency-Key (null when absent). */
    public IssuedToken issue(Caller caller, TokenRequest request, RequestContext context, String idempotencyKey) {
        return issue(Issuance.mint(caller, request, context, idempotencyKey));
    }

    /**
     * The one path of every issuance: the key's form, the request's policy, the bot's
     * ownership (claiming a new bot), then, under an Idempotency-Key, the key's claim; then
     * {@link #mint}: reserve with the pending record (one transaction), Gafaelfawr, and the
     * issued record (one transaction).
     */
    IssuedToken issue(Issuance issuance) {
        if (issuance.idempotencyKey() != null) {
            IdempotencyKeys.checkForm(issuance.idempotencyKey());
        }
        Decision.Allowed allowed = allow(issuance);
        IdempotencyKeys.Claim claim = issuance.idempotencyKey() == null ? null
                : keys.claim(issuance.caller(), issuance.idempotencyKey(), issuance.fingerprint(),
                        allowed.username(), issuance.context());
        boolean replay = claim != null && claim.replaced() != null;
        try {
            if (!replay) {
                issuance.beforeFirstMint().run();
            }
            // A replay's rotation was claimed by the first attempt; it keeps the token it replaces.
            IssuedToken issued = mint(claim == null ? UUID.randomUUID().toString() : claim.issuanceId(), issuance,
                    allowed, issuance.replaces() != null && !replay, claim);
            return replay ? issued.replacing(claim.replaced()) : issued;
        } catch (RuntimeException e) {
            if (claim != null) {
                keys.failed(claim, e);
            }
            throw e;
        }
    }

    /**
     * The request's policy, the broker's own identity (nobody's to mint for, admins
     * included), then the bot's ownership (claiming a new bot); a refusal is audited and thrown.
     */
    private Decision.Allowed allow(Issuance issuance) {
        Caller caller = issuance.caller();
        TokenRequest request = issuance.request();
        Decision decision = policy.decide(caller, request, clock.instant());
        if (decision instanceof Decision.Denied denied) {
            throw deny(issuance, denied);
        }
        Decision.Allowed allowed = (Decision.Allowed) decision;
        Optional<Violation> untouchable = bots.untouchable(allowed.username());
        if (untouchable.isPresent()) {
            throw deny(issuance, new Decision.Denied(java.util.List.of(untouchable.get())));
        }
        // A trust policy that admitted a CI job's exchange stands in for the bot's owners.
        Optional<Decision.Denied> notOwned = issuance.trustPolicy() != null ? Optional.empty()
                : authorize(caller, issuance.context(), allowed);
        if (notOwned.isPresent()) {
            throw deny(issuance, notOwned.get());
        }
        return allowed;
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
     * A refusal decided before an issuance could be formed (a CI job no trust policy admits, or
     * one asking beyond its policy): audited as denied, with what identifies the job.
     */
    public PolicyDeniedException refuse(Caller caller, String username, RequestContext context, Violation violation,
            String note) {
        metrics.denied(violation.rule());
        appendQuietly(new IssuanceRecord(caller, context, clock, username, null, null, null), AuditOutcome.DENIED,
                "policy: " + violation.rule() + "; " + note, null);
        return new PolicyDeniedException(new Decision.Denied(java.util.List.of(violation)));
    }

    private PolicyDeniedException deny(Issuance issuance, Decision.Denied denied) {
        TokenRequest request = issuance.request();
        IssuanceRecord record = new IssuanceRecord(issuance.caller(), issuance.context(), clock, request.username(),
                request.name(), request.scopes(), request.expires());
        denied.violations().stream().map(Violation::rule).distinct().forEach(metrics::denied);
        String rules = denied.violations().stream().map(Violation::rule).collect(Collectors.joining(","));
        // The request changes nothing either way, so a lost denial record is logged, not fatal.
        appendQuietly(record, AuditOutcome.DENIED, issuance.reason("policy: " + rules), null);
        return new PolicyDeniedException(denied);
    }

    /** Reserve with the pending record, call Gafaelfawr, complete with the issued record. */
    private IssuedToken mint(String issuanceId, Issuance issuance, Decision.Allowed allowed, boolean claimsRotation,
            IdempotencyKeys.Claim claim) {
        IssuanceRecord record = new IssuanceRecord(issuanceId, issuance.caller(), issuance.context(), clock,
                allowed.username(), allowed.displayName(), allowed.scopes(), allowed.expires());
        reserve(record, issuance, allowed, claimsRotation);
        GafaelfawrToken token = create(record, allowed);
        complete(record, token, claim);
        metrics.issued();
        return new IssuedToken(token, allowed.username(), allowed.scopes(), allowed.expires(),
                issuance.caller().username(), record.issuanceId());
    }

    /**
     * One transaction: the quota place (refused by {@link QuotaPolicy}), the rotation mark and
     * the pending audit record. Nothing reaches Gafaelfawr unless it commits.
     */
    private void reserve(IssuanceRecord record, Issuance issuance, Decision.Allowed allowed, boolean claimsRotation) {
        Instant now = clock.instant();
        AuditStore.Appended[] intent = new AuditStore.Appended[1];
        TokenStore.Reserved<QuotaPolicy.Exceeded> reserved;
        try {
            reserved = tokens.reserve(new TokenStore.Reservation(record.issuanceId(), allowed.username(),
                            allowed.displayName(), allowed.scopes(), allowed.expires(), issuance.caller().username(),
                            issuance.replaces(), claimsRotation), now,
                    usage -> quotas.check(usage, now),
                    connection -> intent[0] = audit.appendStep(record.event(AuditOutcome.PENDING, issuance.reason(null), null))
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
            throw TokenConflictException.alreadyRotated(issuance.replaces());
        }
        Optional<QuotaPolicy.Exceeded> exceeded = reserved.refused();
        if (exceeded.isPresent()) {
            metrics.denied(exceeded.get().rule());
            appendQuietly(record, AuditOutcome.DENIED, "quota: " + exceeded.get().rule(), null);
            throw new QuotaExceededException(exceeded.get());
        }
        audit.published(intent[0]);
    }

    /** The token POST, sent once. A token minted but not readable is revoked at once. */
    private GafaelfawrToken create(IssuanceRecord record, Decision.Allowed allowed) {
        try {
            return gafaelfawr.createServiceToken(new ServiceTokenSpec(
                    allowed.username(), allowed.displayName(), allowed.scopes(), allowed.expires()));
        } catch (GafaelfawrException e) {
            metrics.failed(e.fault().name());
            if (e.mintedKey().isPresent()) {
                // Minted, but its answer cannot be delivered: the token must not outlive this request.
                compensate(record, allowed.username(), e.mintedKey().get(), e.fault() + ": " + e.getMessage(), e);
            } else {
                boolean nothingMinted = e.fault().certainlyNothingMinted();
                if (nothingMinted) {
                    tokens.release(record.issuanceId()); // the quota place is free again
                }
                // Whether Gafaelfawr may have minted decides between failed and unknown (the reconciler's).
                appendQuietly(record, nothingMinted ? AuditOutcome.FAILED : AuditOutcome.UNKNOWN,
                        e.fault() + ": " + e.getMessage(), null);
            }
            throw e;
        }
    }

    /**
     * One transaction: the token row issued, its audit record and the Idempotency-Key's
     * result. If it fails, the secret is not delivered, so the token is revoked.
     */
    private void complete(IssuanceRecord record, GafaelfawrToken token, IdempotencyKeys.Claim claim) {
        try {
            Sql.Work<AuditStore.Appended> issuedRecord = audit.appendStep(
                    record.event(AuditOutcome.ISSUED, null, token.key()));
            audit.published(tokens.issued(record.issuanceId(), token.key(), clock.instant(), claim == null
                    ? issuedRecord : connection -> {
                        keys.deliveredStep(claim, token.key()).apply(connection);
                        return issuedRecord.apply(connection);
                    }));
        } catch (RuntimeException e) {
            metrics.failed("audit_unavailable");
            compensate(record, record.username(), token.key(), "audit completion failed", e);
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
        LOG.warnf("revoked undelivered token key %s of %s (issuance %s)", key, username, record.issuanceId());
        if (Sql.isUnreachable(cause)) {
            // The database cannot be reached: more writes would each wait out the pool's timeout
            // before the caller hears 503. Its pending record stays; the reconciler settles it.
            LOG.warnf("issuance %s stays pending until the reconciler records it compensated", record.issuanceId());
            return;
        }
        releaseQuietly(record);
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
}
