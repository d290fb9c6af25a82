package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.TokenInfo;
import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.policy.BodyFields;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Names;
import dev.tokenbroker.policy.Decision;
import dev.tokenbroker.policy.RequestRules;
import dev.tokenbroker.policy.TokenRequest;
import dev.tokenbroker.policy.TokenState;
import dev.tokenbroker.policy.Violation;
import dev.tokenbroker.registry.StoredToken;
import dev.tokenbroker.registry.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * A minted token's life after issuance: reading it with its state, listing, revoking and
 * rotating. Owners of the bot and admins may act; anyone else is told the token does not exist.
 */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    /** How long one replica holds a due revocation before another may take it over. */
    static final Duration REVOCATION_LEASE = Duration.ofMinutes(1);

    private final TokenStore tokens;
    private final BotService bots;
    private final TokenIssuanceService issuance;
    private final GafaelfawrClient gafaelfawr;
    private final AuditStore audit;
    private final AuditQueryService auditLog;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final String auditorScope;
    private final Duration maxGrace;

    @Inject
    public TokenService(TokenStore tokens, BotService bots, TokenIssuanceService issuance, GafaelfawrClient gafaelfawr,
            AuditStore audit, BrokerMetrics metrics, Clock clock, BrokerConfig config, AuditQueryService auditLog) {
        this.auditLog = auditLog;
        this.tokens = tokens;
        this.bots = bots;
        this.issuance = issuance;
        this.gafaelfawr = gafaelfawr;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.auditorScope = config.audit().auditorScope();
        this.maxGrace = config.policy().maxRotationGrace();
    }

    /**
     * The token with its state, if the caller may read its bot, requested it, or audits. A
     * token minted before the broker kept its registry is known from its audit record alone.
     */
    public Optional<TokenView> describe(Caller caller, String key) {
        Optional<TokenView> registered = readable(caller, key).map(token -> withStates(List.of(token)).get(0));
        return registered.isPresent() ? registered : auditLog.issuanceOf(caller, key).map(stored -> {
            AuditEvent e = stored.event();
            return new TokenView(e.tokenKey(), e.targetUsername(), e.displayName(), e.scopes(), e.expires(),
                    e.callerUsername(), e.time(), e.issuanceId(), null);
        });
    }

    private Optional<StoredToken> readable(Caller caller, String key) {
        if (!Names.isTokenKey(key)) {
            return Optional.empty();
        }
        return tokens.findByKey(key).filter(token -> bots.mayRead(caller, token.username())
                || token.requestedBy().equals(caller.username()) || caller.holds(auditorScope));
    }

    /**
     * The token, if the key names one and the caller may manage its bot. A bot that may
     * read its own token is told it may not change it (403); anyone else, that it does not exist.
     */
    private Optional<StoredToken> manageable(Caller caller, String key) {
        Optional<StoredToken> token = Names.isTokenKey(key) ? tokens.findByKey(key) : Optional.empty();
        if (token.isEmpty() || bots.mayManage(caller, token.get().username())) {
            return token;
        }
        if (caller.isBot() && bots.mayRead(caller, token.get().username())) {
            throw new AccessDeniedException("bot-caller-read-only",
                    "a bot's token may read its tokens but never revoke or rotate them");
        }
        return Optional.empty();
    }

    /**
     * Tokens of the bots the caller may see, newest first. States come from Gafaelfawr (one
     * token list per bot on the page), so a page filtered by state may hold fewer than the
     * limit; the cursor still moves on.
     */
    public Page<TokenView> list(Caller caller, String username, TokenState state, PagePosition after, int limit) {
        Lookups.plainText("username", username);
        Lookups.pageLimit(limit);
        List<StoredToken> fetched = tokens.list(bots.visibleTo(caller), username,
                after == null ? null : new StoredToken.Cursor(after.time(), after.id()), limit + 1);
        return Page.of(fetched, limit, page -> withStates(page).stream()
                        .filter(view -> state == null || view.state() == state).toList(),
                token -> new PagePosition(token.reservedAt().toEpochMilli(), token.issuanceId()));
    }

    /**
     * Revokes the token in Gafaelfawr on the caller's behalf. Empty when the caller may not
     * see it; a token already revoked (here or in Gafaelfawr) is revoked again harmlessly.
     */
    public Optional<StoredToken> revoke(Caller caller, String key, RequestContext context) {
        Optional<StoredToken> token = manageable(caller, key);
        token.ifPresent(t -> revokeNow(t, caller.username(), "request",
                ChangeRecord.of(caller, context, clock.instant(), ChangeRecord.REVOKE, t.username(),
                        AuditOutcome.REVOKED, "revoked by " + caller.username(), t.key())));
        return token;
    }

    /**
     * Mints a replacement with the same username, name and scopes, then revokes the old token
     * at once or, with a grace, schedules its revocation durably (any replica carries it out).
     * A token is rotated at most once: the reservation of its replacement marks it rotated,
     * so a second or concurrent rotation is 409 and a grace is never extended. Under an
     * Idempotency-Key, a retry after completion revokes the replacement the first attempt
     * delivered (never received) and mints another; the old token was already revoked or
     * scheduled by the first attempt.
     */
    public Optional<RotatedToken> rotate(Caller caller, String key, Instant expires, String grace,
            Set<String> otherFields, RequestContext context, String idempotencyKey) {
        if (idempotencyKey != null) {
            IdempotencyKeys.checkForm(idempotencyKey);
        }
        List<Violation> unknown = BodyFields.refuse(otherFields);
        if (!unknown.isEmpty()) {
            throw new PolicyDeniedException(new Decision.Denied(unknown));
        }
        Optional<StoredToken> found = manageable(caller, key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredToken old = found.get();
        bots.requireTouchable(old.username());
        Duration wait = checkedGrace(grace);
        IssuedToken replacement = issuance.issue(Issuance.rotation(caller, replacementRequest(old, expires), context,
                idempotencyKey, old.key(), wait, () -> requireRotatable(old)));
        if (replacement.replaced() != null) {
            // A replay: the first attempt already revoked the old token or scheduled its revocation.
            StoredToken now = tokens.findByKey(old.key()).orElse(old);
            return Optional.of(new RotatedToken(replacement, old.key(),
                    now.revokedAt() != null ? now.revokedAt() : now.revokeAfter()));
        }
        return Optional.of(retire(caller, context, old, replacement, wait));
    }

    private Duration checkedGrace(String grace) {
        RequestRules.grace(grace, maxGrace).ifPresent(violation -> {
            throw new PolicyDeniedException(new Decision.Denied(List.of(violation)));
        });
        return grace == null ? Duration.ZERO : Duration.parse(grace);
    }


    /**
     * Only an active token may be rotated. That it was never rotated before is decided where
     * the race is, in the reservation of its successor (and audited there).
     */
    private void requireRotatable(StoredToken old) {
        TokenState state = withStates(List.of(old)).get(0).state();
        if (state != TokenState.ACTIVE) {
            throw new TokenConflictException("token-not-active", "token " + old.key() + " is " + state.label()
                    + ": only an active token can be rotated");
        }
    }

    private static TokenRequest replacementRequest(StoredToken old, Instant expires) {
        return new TokenRequest(old.username(), old.name(), "service", old.scopes(), expires, Set.of());
    }

    /** After the replacement: the old token revoked at once, or its revocation scheduled after the grace. */
    private RotatedToken retire(Caller caller, RequestContext context, StoredToken old, IssuedToken replacement,
            Duration wait) {
        metrics.rotated(!wait.isZero());
        Instant now = clock.instant();
        if (wait.isZero()) {
            try {
                revokeNow(old, caller.username(), "rotation", ChangeRecord.of(caller, context, now,
                        ChangeRecord.REVOKE, old.username(), AuditOutcome.REVOKED,
                        "rotated by " + caller.username() + ", replaced by " + replacement.key(), old.key()));
            } catch (RuntimeException e) {
                // The replacement is delivered either way; the revocation is left to the scheduled job.
                LOG.warnf(e, "rotation of %s: revoking it now failed, so it is scheduled", old.key());
                tokens.scheduleRevocation(old.key(), now, caller.username());
            }
            return new RotatedToken(replacement, old.key(), now);
        }
        Instant after = now.plus(wait);
        tokens.scheduleRevocation(old.key(), after, caller.username());
        return new RotatedToken(replacement, old.key(), after);
    }

    /** Carries out due scheduled revocations that this replica claims; answers how many it revoked. */
    public int revokeDue(int batch) {
        Instant now = clock.instant();
        int revoked = 0;
        for (StoredToken token : tokens.dueRevocations(now, batch)) {
            if (!tokens.claimRevocation(token.key(), token.revokeAfter(), now.plus(REVOCATION_LEASE))) {
                continue; // another replica took it
            }
            try {
                revokeNow(token, token.revokeActor(), "scheduled", ChangeRecord.scheduled(token.revokeActor(),
                        clock.instant(), ChangeRecord.REVOKE, token.username(), AuditOutcome.REVOKED,
                        "rotation grace ended (rotated by " + token.revokeActor() + ")", token.key()));
                revoked++;
            } catch (RuntimeException e) {
                LOG.warnf(e, "scheduled revocation of %s failed; it is retried after the lease", token.key());
            }
        }
        return revoked;
    }

    private void revokeNow(StoredToken token, String actor, String how, dev.tokenbroker.audit.AuditEvent record) {
        gafaelfawr.revokeToken(token.username(), token.key());
        tokens.revoked(token.key(), actor, clock.instant());
        metrics.revoked(how);
        LOG.infof("revoked token key %s of %s (%s, by %s)", token.key(), token.username(), how, actor);
        audit.append(record);
    }

    /** States from Gafaelfawr: one token list per bot. A token missing there was revoked (or expired). */
    private List<TokenView> withStates(List<StoredToken> page) {
        Instant now = clock.instant();
        Map<String, Map<String, TokenInfo>> upstream = new HashMap<>();
        for (String username : page.stream().filter(t -> t.revokedAt() == null).map(StoredToken::username)
                .collect(Collectors.toCollection(java.util.TreeSet::new))) {
            upstream.put(username, gafaelfawr.tokensOf(username).stream()
                    .collect(Collectors.toMap(TokenInfo::key, info -> info, (a, b) -> a)));
        }
        List<TokenView> views = new ArrayList<>(page.size());
        for (StoredToken token : page) {
            views.add(new TokenView(token.key(), token.username(), token.name(), token.scopes(), token.expires(),
                    token.requestedBy(), token.issuedAt(), token.issuanceId(),
                    stateOf(token, upstream.get(token.username()), now)));
        }
        return views;
    }

    private TokenState stateOf(StoredToken token, Map<String, TokenInfo> upstream, Instant now) {
        TokenInfo info = upstream == null ? null : upstream.get(token.key());
        TokenState state = TokenState.of(token.revokedAt() != null, token.expires(), info != null,
                info == null ? null : info.expires(), now);
        if (state == TokenState.REVOKED && token.revokedAt() == null) {
            // Revoked outside the broker: remembered, so that quotas stop counting it.
            tokens.revoked(token.key(), null, now);
        }
        return state;
    }
}
