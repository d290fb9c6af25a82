package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.GafaelfawrException;
import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.RequestRules;
import dev.tokenbroker.policy.TokenRequest;
import dev.tokenbroker.registry.IdempotencyStore;
import dev.tokenbroker.registry.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One mint under an Idempotency-Key (IETF httpapi draft), scoped to the caller and kept 24 h.
 * Invariant: at most one live token per key. The secret of a delivered token is stored
 * nowhere, so a retry after a completed attempt (by its premise, the caller never received
 * the answer) revokes that token first and mints a new one. A retry while the first attempt
 * runs is 409; the same key with another body is 422. The key is claimed in the database,
 * so replicas agree.
 */
@ApplicationScoped
public class IdempotentAttempt {

    public static final String HEADER = RequestRules.IDEMPOTENCY_KEY;
    private static final Logger LOG = Logger.getLogger(IdempotentAttempt.class);

    private final IdempotencyStore keys;
    private final TokenStore tokens;
    private final GafaelfawrClient gafaelfawr;
    private final AuditStore audit;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final Duration settled;

    @Inject
    public IdempotentAttempt(IdempotencyStore keys, TokenStore tokens, GafaelfawrClient gafaelfawr, AuditStore audit,
            BrokerMetrics metrics, Clock clock, BrokerConfig config) {
        this.keys = keys;
        this.tokens = tokens;
        this.gafaelfawr = gafaelfawr;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.settled = config.gafaelfawr().readTimeout().plus(config.reconcile().margin());
    }

    /** The key's form is {@link RequestRules#idempotencyKey}'s; a broken one is a 400 naming the header. */
    static void checkKey(String key) {
        RequestRules.idempotencyKey(key).ifPresent(violation -> {
            throw new InvalidHeaderException(HEADER, violation.rule(), violation.message());
        });
    }

    /** What the attempt runs: given its issuance id, and whether it replays a completed attempt. */
    interface Work {
        IssuedToken mint(String issuanceId, boolean replay);
    }

    IssuedToken run(Caller caller, String key, String fingerprint, String username, RequestContext context,
            Work work) {
        String issuanceId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Optional<IdempotencyStore.Entry> found = keys.claim(caller.username(), key, fingerprint, issuanceId, username,
                now);
        String replaced = null;
        if (found.isPresent()) {
            IdempotencyStore.Entry earlier = found.get();
            if (!earlier.fingerprint().equals(fingerprint)) {
                metrics.idempotency("mismatch");
                throw new IdempotencyConflictException(422, "idempotency-key-reused",
                        "this " + HEADER + " was used with another request body", null);
            }
            if (!mayTakeOver(earlier, now) || !keys.takeOver(caller.username(), key, earlier, issuanceId, now)) {
                metrics.idempotency("in_flight");
                long wait = Math.max(1, Duration.between(now, earlier.updatedAt().plus(settled)).toSeconds());
                throw new IdempotencyConflictException(409, "idempotency-key-in-flight",
                        "a request with this " + HEADER + " is still being processed", (int) wait);
            }
            if ("done".equals(earlier.state())) {
                try {
                    revokeEarlier(caller, context, earlier);
                } catch (RuntimeException e) {
                    keys.restore(caller.username(), key, issuanceId, earlier, clock.instant());
                    throw e;
                }
                replaced = earlier.tokenKey();
                metrics.idempotency("replayed");
            } else {
                metrics.idempotency("retried");
            }
        } else {
            metrics.idempotency("new");
        }
        try {
            IssuedToken issued = work.mint(issuanceId, replaced != null);
            keys.delivered(caller.username(), key, issuanceId, issued.key(), clock.instant());
            return replaced == null ? issued : issued.replacing(replaced);
        } catch (GafaelfawrException e) {
            // An unknown outcome keeps the key until the reconciler decides it; anything else frees it.
            if (e.mintedKey().isPresent() || TokenIssuanceService.outcomeOf(e) == AuditOutcome.FAILED) {
                keys.opened(caller.username(), key, issuanceId, clock.instant());
            }
            throw e;
        } catch (RuntimeException e) {
            keys.opened(caller.username(), key, issuanceId, clock.instant());
            throw e;
        }
    }

    /** A finished attempt may be followed; a running one only once it is settled and left nothing pending. */
    private boolean mayTakeOver(IdempotencyStore.Entry earlier, Instant now) {
        if (!"claimed".equals(earlier.state())) {
            return true;
        }
        return earlier.updatedAt().isBefore(now.minus(settled)) && !tokens.isPending(earlier.issuanceId());
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

    /** A mint's request as the caller sent it, hashed. */
    static String fingerprint(TokenRequest request) {
        return fingerprint("mint", request.username(), request.name(), request.tokenType(),
                request.scopes() == null ? null : String.join("\u0000", request.scopes()),
                request.expires() == null ? null : Long.toString(request.expires().getEpochSecond()),
                String.join("\u0000", new java.util.TreeSet<>(request.otherFields())));
    }

    /** Fields of a request, each length-prefixed (null apart from empty), hashed. */
    static String fingerprint(String... fields) {
        StringBuilder canonical = new StringBuilder();
        for (String field : fields) {
            canonical.append(field == null ? "-1" : Integer.toString(field.length())).append(':')
                    .append(field == null ? "" : field).append(';');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
