package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.GafaelfawrException;
import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.IdempotencyRules;
import dev.tokenbroker.policy.RequestRules;
import dev.tokenbroker.registry.IdempotencyStore;
import dev.tokenbroker.registry.TokenStore;
import dev.tokenbroker.storage.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Idempotency-Key claims, scoped to the caller and kept 24 h ({@link IdempotencyRules} decides
 * what a key allows). The secret of a delivered token is stored nowhere, so a replay of a
 * completed attempt (by its premise, the caller never received the answer) revokes that
 * token before the issuance mints another. The key is claimed in the database, so replicas
 * agree. The issuance itself is {@link TokenIssuanceService}'s: this only claims and settles keys.
 */
@ApplicationScoped
public class IdempotencyKeys {

    public static final String HEADER = RequestRules.IDEMPOTENCY_KEY;
    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    private final IdempotencyStore keys;
    private final TokenStore tokens;
    private final GafaelfawrClient gafaelfawr;
    private final AuditStore audit;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final Duration settled;

    @Inject
    public IdempotencyKeys(IdempotencyStore keys, TokenStore tokens, GafaelfawrClient gafaelfawr, AuditStore audit,
            BrokerMetrics metrics, Clock clock, BrokerConfig config) {
        this.keys = keys;
        this.tokens = tokens;
        this.gafaelfawr = gafaelfawr;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.settled = config.settledAfter();
    }

    /** A key held by one attempt: its issuance id, and the token key a replay revoked (else null). */
    record Claim(String caller, String key, String issuanceId, String replaced) {
    }

    /** The key's form is {@link RequestRules#idempotencyKey}'s; a broken one is a 400 naming the header. */
    static void checkForm(String key) {
        RequestRules.idempotencyKey(key).ifPresent(violation -> {
            throw new InvalidHeaderException(HEADER, violation.rule(), violation.message());
        });
    }

    /** Claims the key for this attempt, or refuses (422 another body, 409 still running). */
    Claim claim(Caller caller, String key, String fingerprint, String username, RequestContext context) {
        String issuanceId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Optional<IdempotencyStore.Entry> found = keys.claim(caller.username(), key, fingerprint, issuanceId, username,
                now);
        IdempotencyStore.Entry earlier = found.orElse(null);
        IdempotencyRules.Verdict verdict = IdempotencyRules.verdict(earlier == null ? null : new IdempotencyRules.Earlier(
                earlier.fingerprint().equals(fingerprint), earlier.state() != IdempotencyStore.State.CLAIMED,
                earlier.state() == IdempotencyStore.State.DONE, earlier.updatedAt(),
                earlier.state() == IdempotencyStore.State.CLAIMED && tokens.isPending(earlier.issuanceId())), now,
                settled);
        if (verdict == IdempotencyRules.Verdict.FRESH) {
            metrics.idempotency("new");
            return new Claim(caller.username(), key, issuanceId, null);
        }
        if (verdict == IdempotencyRules.Verdict.MISMATCH) {
            metrics.idempotency("mismatch");
            throw new IdempotencyConflictException(422, "idempotency-key-reused",
                    "this " + HEADER + " was used with another request body", null);
        }
        if (verdict == IdempotencyRules.Verdict.IN_FLIGHT
                || !keys.takeOver(caller.username(), key, earlier, issuanceId, now)) {
            metrics.idempotency("in_flight");
            throw new IdempotencyConflictException(409, "idempotency-key-in-flight",
                    "a request with this " + HEADER + " is still being processed",
                    IdempotencyRules.retryAfter(earlier.updatedAt(), now, settled));
        }
        if (verdict == IdempotencyRules.Verdict.RETRY) {
            metrics.idempotency("retried");
            return new Claim(caller.username(), key, issuanceId, null);
        }
        try {
            revokeEarlier(caller, context, earlier);
        } catch (RuntimeException e) {
            keys.restore(caller.username(), key, issuanceId, earlier, clock.instant());
            throw e;
        }
        metrics.idempotency("replayed");
        return new Claim(caller.username(), key, issuanceId, earlier.tokenKey());
    }

    /** The claim's token was delivered: a step of the transaction that marks it issued. */
    Sql.Work<Integer> deliveredStep(Claim claim, String tokenKey) {
        return IdempotencyStore.deliveredStep(claim.caller(), claim.key(), claim.issuanceId(), tokenKey,
                clock.instant());
    }

    /**
     * The attempt failed. An unknown outcome keeps the key until the reconciler decides it,
     * and so does an unreachable database (another write would only wait out the pool's timeout);
     * anything else frees it for a retry.
     */
    void failed(Claim claim, RuntimeException cause) {
        boolean unknown = cause instanceof GafaelfawrException e && e.mintedKey().isEmpty()
                && !e.fault().certainlyNothingMinted();
        if (!unknown && !Sql.isUnreachable(cause)) {
            keys.opened(claim.caller(), claim.key(), claim.issuanceId(), clock.instant());
        }
    }

    private void revokeEarlier(Caller caller, RequestContext context, IdempotencyStore.Entry earlier) {
        gafaelfawr.revokeToken(earlier.username(), earlier.tokenKey());
        tokens.revoked(earlier.tokenKey(), caller.username(), clock.instant());
        metrics.revoked("replay");
        LOG.infof("revoked token key %s of %s: a retry with the same %s replaces it", earlier.tokenKey(),
                earlier.username(), HEADER);
        audit.append(ChangeRecord.of(caller, context, clock.instant(), ChangeRecord.REVOKE, earlier.username(),
                AuditOutcome.REVOKED, "replaced by a retry with the same " + HEADER, earlier.tokenKey()));
    }
}
