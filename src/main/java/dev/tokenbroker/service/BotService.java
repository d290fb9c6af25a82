package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.policy.BotAccess;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Decision;
import dev.tokenbroker.policy.Owners;
import dev.tokenbroker.policy.Violation;
import dev.tokenbroker.registry.Bot;
import dev.tokenbroker.registry.BotStore;
import dev.tokenbroker.registry.Visibility;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Bot ownership: who may mint for a bot, claims, listing and owner changes. */
@ApplicationScoped
public class BotService {

    private static final Logger LOG = Logger.getLogger(BotService.class);

    private final BotStore bots;
    private final BotAccess access;
    private final GafaelfawrClient gafaelfawr;
    private final AuditStore audit;
    private final BrokerMetrics metrics;
    private final Clock clock;

    @Inject
    public BotService(BotStore bots, BotAccess access, GafaelfawrClient gafaelfawr, AuditStore audit,
            BrokerMetrics metrics, Clock clock) {
        this.bots = bots;
        this.access = access;
        this.gafaelfawr = gafaelfawr;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Allows the caller to mint for the bot, claiming it first when nobody knows it, or
     * answers why not. Nothing reaches Gafaelfawr's token endpoint for a refused caller;
     * only a first mint asks Gafaelfawr whether the bot already has tokens.
     */
    public Optional<Decision.Denied> authorizeMint(Caller caller, String username, RequestContext context) {
        BotAccess.Standing standing = standing(caller, username);
        BotAccess.Grant grant = access.grant(caller, standing);
        if (grant == BotAccess.Grant.CLAIM) {
            if (bots.claim(username, caller.username(), clock.instant())) {
                metrics.claimed();
                LOG.infof("%s claimed bot %s", caller.username(), username);
                audit.append(ChangeRecord.of(caller, context, clock.instant(), ChangeRecord.CLAIM, username,
                        AuditOutcome.CLAIMED, "first mint for a bot unknown to the broker and to Gafaelfawr", null));
                return Optional.empty();
            }
            // Another claim (on any replica) or an admin came first: decide again on what it left.
            standing = standing(caller, username);
            grant = access.grant(caller, standing);
        }
        return grant == null || grant == BotAccess.Grant.CLAIM
                ? Optional.of(BotAccess.refusal(username, standing)) : Optional.empty();
    }

    /** Whether the caller may manage (see, revoke, rotate tokens of) the bot. */
    public boolean mayManage(Caller caller, String username) {
        if (access.isAdmin(caller)) {
            return true;
        }
        return bots.owners(username).map(owners -> owners.includes(caller)).orElse(false);
    }

    public boolean isAdmin(Caller caller) {
        return access.isAdmin(caller);
    }

    /** What the caller may see: admins every bot, others those they own. */
    public Visibility visibleTo(Caller caller) {
        return access.isAdmin(caller) ? Visibility.everything()
                : Visibility.ownedBy(caller.username(), caller.groups());
    }

    public List<Bot> list(Caller caller, String owner, Bot.Cursor after, int limit) {
        Lookups.plainText("owner", owner);
        return bots.list(visibleTo(caller), access.isAdmin(caller) ? owner : null, after, limit, clock.instant());
    }

    /** The bot, if the caller may see it. */
    public Optional<Bot> find(Caller caller, String username) {
        if (!Lookups.isBotName(username)) {
            return Optional.empty();
        }
        return bots.find(username, clock.instant()).filter(bot -> access.mayManage(caller, bot.owners()));
    }

    /**
     * Replaces the owners: an owner or an admin may; an admin also of a bot nobody owns
     * (unclaimed, or not yet known). Empty when the caller may not see the bot.
     */
    public Optional<Bot> setOwners(Caller caller, String username, List<String> users, List<String> groups,
            RequestContext context) {
        if (!Lookups.isBotName(username)) {
            return Optional.empty(); // no such bot can exist
        }
        Optional<Bot> current = bots.find(username, clock.instant());
        boolean allowed = access.isAdmin(caller) || current.map(bot -> bot.owners().includes(caller)).orElse(false);
        if (!allowed) {
            return Optional.empty();
        }
        List<Violation> violations = access.checkOwners(users, groups);
        if (!violations.isEmpty()) {
            throw new PolicyDeniedException(new Decision.Denied(violations));
        }
        Owners owners = new Owners(users, groups);
        bots.setOwners(username, owners, clock.instant());
        metrics.ownersChanged();
        audit.append(ChangeRecord.of(caller, context, clock.instant(), ChangeRecord.SET_OWNERS, username,
                AuditOutcome.OWNERS_CHANGED, "owners: users " + owners.users() + ", groups " + owners.groups(), null));
        return bots.find(username, clock.instant());
    }

    private BotAccess.Standing standing(Caller caller, String username) {
        Optional<BotAccess.Standing> known = known(username);
        if (known.isPresent()) {
            return known.get();
        }
        if (access.isAdmin(caller)) {
            return new BotAccess.Standing.New(); // an admin mints either way: Gafaelfawr need not be asked
        }
        boolean hasTokens = !gafaelfawr.tokensOf(username).isEmpty();
        // Read again: a claim commits before its mint, so tokens seen just now may be a fresh
        // claimant's, and then its claim is visible here.
        return known(username).orElse(hasTokens ? new BotAccess.Standing.Unclaimed() : new BotAccess.Standing.New());
    }

    private Optional<BotAccess.Standing> known(String username) {
        return bots.owners(username).map(owners -> owners.isEmpty()
                ? new BotAccess.Standing.Unclaimed() : new BotAccess.Standing.Owned(owners));
    }
}
