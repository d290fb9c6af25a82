package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.GafaelfawrException;
import dev.tokenbroker.gafaelfawr.TokenChange;
import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.registry.StoredToken;
import dev.tokenbroker.registry.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Closes the crash window. An issuance still pending well after Gafaelfawr's read timeout
 * was cut short (the process died, or Gafaelfawr's answer timed out): whether a token was
 * minted is asked of Gafaelfawr's change history. A create by the broker's own identity for
 * that bot in the issuance's window, with the issuance's own expiry and scopes, that no issued
 * record names was never delivered, so it is revoked and recorded compensated; if there is
 * none, the issuance is recorded failed. A delivered token is never revoked here: while
 * another mint of the same bot, expiry and scopes is still in flight, its create could be
 * that mint's, so nothing is decided; and when Gafaelfawr cannot be asked, nothing is either.
 */
@ApplicationScoped
public class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);
    /** Gafaelfawr's clock and ours may differ a little: the window is widened by this much. */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

    private final TokenStore tokens;
    private final dev.tokenbroker.registry.IdempotencyStore keys;
    private final GafaelfawrClient gafaelfawr;
    private final CompensatingRevocation revocation;
    private final AuditStore audit;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final Duration settled;

    @Inject
    public Reconciliation(TokenStore tokens, dev.tokenbroker.registry.IdempotencyStore keys,
            GafaelfawrClient gafaelfawr, CompensatingRevocation revocation, AuditStore audit, BrokerMetrics metrics,
            Clock clock, BrokerConfig config) {
        this.tokens = tokens;
        this.keys = keys;
        this.gafaelfawr = gafaelfawr;
        this.revocation = revocation;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.settled = config.settledAfter();
    }

    /** Decides what it can of the pending issuances; answers how many it decided. */
    public int reconcile(int batch) {
        Instant cutoff = clock.instant().minus(settled);
        List<StoredToken> pending = tokens.pendingBefore(cutoff, batch);
        if (pending.isEmpty()) {
            return 0;
        }
        String broker = gafaelfawr.adminUsername();
        Set<String> handled = new HashSet<>();
        int decided = 0;
        for (StoredToken issuance : pending) {
            if (tokens.hasUnsettledTwin(issuance, cutoff)) {
                // A mint still in flight asked for the very same token: its create would match too.
                metrics.reconciled("undecided");
                LOG.infof("issuance %s of %s waits: another mint of the same bot, expiry and scopes is in flight",
                        issuance.issuanceId(), issuance.username());
                continue;
            }
            try {
                decide(issuance, broker, handled);
                decided++;
            } catch (GafaelfawrException e) {
                metrics.reconciled("undecided");
                LOG.warnf("issuance %s of %s stays pending: %s", issuance.issuanceId(), issuance.username(),
                        e.getMessage());
            }
        }
        return decided;
    }

    /**
     * An issuance posts once, so at most one create is its own: one the broker's identity made
     * for the bot in the issuance's window, with exactly the expiry and scopes it asked for
     * (Gafaelfawr's history repeats them as sent), that no issued record names.
     */
    private void decide(StoredToken issuance, String broker, Set<String> handled) {
        Instant since = issuance.reservedAt().minus(CLOCK_SLACK);
        Instant until = issuance.reservedAt().plus(settled).plus(CLOCK_SLACK);
        Set<String> scopes = new TreeSet<>(issuance.scopes());
        Optional<String> orphan = gafaelfawr.tokenChanges(issuance.username(), since, until).stream()
                .filter(change -> "create".equals(change.action()) && broker.equals(change.actor()))
                .filter(change -> change.expires() != null
                        && change.expires() == issuance.expires().getEpochSecond()
                        && change.scopes() != null && scopes.equals(new TreeSet<>(change.scopes())))
                .sorted(Comparator.comparing(TokenChange::eventTime, Comparator.nullsLast(Comparator.naturalOrder())))
                .map(TokenChange::key)
                .filter(key -> !handled.contains(key) && !tokens.isIssued(key))
                .findFirst();
        if (orphan.isEmpty()) {
            record(issuance, AuditOutcome.FAILED, "reconciled: Gafaelfawr shows no token created in the window"
                    + " with this issuance's expiry and scopes", null);
            metrics.reconciled("failed");
            LOG.infof("issuance %s of %s: nothing was minted; recorded failed", issuance.issuanceId(),
                    issuance.username());
        } else {
            String key = orphan.get();
            revocation.revoke(issuance.username(), key); // idempotent: already gone counts as revoked
            handled.add(key);
            record(issuance, AuditOutcome.COMPENSATED, "reconciled: minted but never delivered; token revoked", key);
            metrics.reconciled("compensated");
            LOG.warnf("issuance %s of %s: token key %s was minted but never delivered; revoked",
                    issuance.issuanceId(), issuance.username(), key);
        }
        tokens.release(issuance.issuanceId());
        keys.openedIssuance(issuance.issuanceId(), clock.instant()); // a retry with its Idempotency-Key may mint
    }

    /** A later record of the same issuance, repeating what its first record said. */
    private void record(StoredToken issuance, AuditOutcome outcome, String reason, String key) {
        AuditEvent first = audit.latestOfIssuance(issuance.issuanceId()).map(stored -> stored.event())
                .orElseGet(() -> new AuditEvent(UUID.randomUUID().toString(), issuance.issuanceId(),
                        issuance.reservedAt(), "reconciler", issuance.requestedBy(), "", "unknown", null, null,
                        IssuanceRecord.ACTION, issuance.username(), issuance.name(), issuance.scopes(),
                        issuance.expires(), outcome, reason, key));
        audit.append(new AuditEvent(UUID.randomUUID().toString(), issuance.issuanceId(), clock.instant(),
                first.requestId(), first.callerUsername(), first.callerTokenKey(), first.callerTokenType(),
                first.clientAddress(), first.userAgent(), IssuanceRecord.ACTION, issuance.username(),
                first.displayName(), first.scopes(), first.expires(), outcome, reason, key));
    }
}
