package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.gafaelfawr.AdminIdentity;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.policy.BodyFields;
import dev.tokenbroker.policy.BotAccess;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Names;
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
    private final AdminIdentity brokerIdentity;
    private final AuditStore audit;
    private final BrokerMetrics metrics;
    private final Clock clock;

    @Inject
    public BotService(BotStore bots, BotAccess access, GafaelfawrClient gafaelfawr, AdminIdentity brokerIdentity,
            AuditStore audit, BrokerMetrics metrics, Clock clock) {
        this.bots = bots;
        this.access = access;
        this.gafaelfawr = gafaelfawr;
        this.brokerIdentity = brokerIdentity;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Why nobody may act on this bot through the broker (it is the broker itself), or empty. */
    public Optional<Violation> untouchable(String username) {
        return BotAccess.untouchable(username, brokerIdentity.username());
    }

    /** Refuses any change that would give someone the broker's own identity (see {@link BotAccess#untouchable}). */
    public void requireTouchable(String username) {
        Optional<Violation> untouchable = untouchable(username);
        if (untouchable.isPresent()) {
            throw new PolicyDeniedException(new Decision.Denied(List.of(untouchable.get())));
        }
    }

    /**
     * Allows the caller to mint for the bot, claiming it first when it never had a token, or
     * answers why not. Nothing reaches Gafaelfawr's token endpoint for a refused caller;
     * only a mint for a bot nobody owns asks Gafaelfawr's history whether it ever had tokens.
     */
    public Optional<Decision.Denied> authorizeMint(Caller caller, String username, RequestContext context) {
        BotAccess.Standing standing = standing(caller, username);
        BotAccess.Grant grant = access.grant(caller, standing);
        if (grant == BotAccess.Grant.CLAIM) {
            if (bots.claim(username, caller.username(), clock.instant())) {
                metrics.claimed();
                LOG.infof("%s claimed bot %s", caller.username(), username);
                audit.append(ChangeRecord.of(caller, context, clock.instant(), ChangeRecord.CLAIM, username,
                        AuditOutcome.CLAIMED, "first mint for a bot that never had a token in Gafaelfawr", null));
                return Optional.empty();
            }
            // Another claim (on any replica) or an admin came first: decide again on what it left.
            standing = standing(caller, username);
            grant = access.grant(caller, standing);
        }
        return grant == null || grant == BotAccess.Grant.CLAIM
                ? Optional.of(BotAccess.refusal(username, standing)) : Optional.empty();
    }

    /** Whether the caller may manage (revoke, rotate tokens of, change owners of) the bot. */
    public boolean mayManage(Caller caller, String username) {
        if (access.seesEverything(caller)) {
            return true;
        }
        return bots.owners(username).map(owners -> access.mayManage(caller, owners)).orElse(false);
    }

    /** Whether the caller may see the bot and its tokens. */
    public boolean mayRead(Caller caller, String username) {
        if (access.seesEverything(caller)) {
            return true;
        }
        return bots.owners(username).map(owners -> access.mayRead(caller, username, owners)).orElse(false);
    }

    /** What the caller may see: admins every bot, a bot itself, others those they own. */
    public Visibility visibleTo(Caller caller) {
        if (access.seesEverything(caller)) {
            return Visibility.everything();
        }
        return caller.isBot() ? Visibility.onlyBot(caller.username())
                : Visibility.ownedBy(caller.username(), caller.groups());
    }

    /** Bots the caller may see, newest first; admins may filter by owner. */
    public Page<BotDetails> list(Caller caller, String owner, PagePosition after, int limit) {
        Lookups.plainText("owner", owner);
        Lookups.pageLimit(limit);
        List<Bot> fetched = bots.list(visibleTo(caller), access.seesEverything(caller) ? owner : null,
                after == null ? null : new Bot.Cursor(after.time(), after.id()), limit + 1, clock.instant());
        return Page.of(fetched, limit, page -> page.stream().map(BotService::details).toList(),
                bot -> new PagePosition(bot.createdAt().toEpochMilli(), bot.username()));
    }

    private static BotDetails details(Bot bot) {
        return new BotDetails(bot.username(), bot.owners(), bot.claimedBy(), bot.claimedAt(), bot.activeTokens());
    }

    /** The bot, if the caller may see it. */
    public Optional<BotDetails> find(Caller caller, String username) {
        if (!Names.isBotName(username)) {
            return Optional.empty();
        }
        return bots.find(username, clock.instant())
                .filter(bot -> access.seesEverything(caller) || access.mayRead(caller, username, bot.owners()))
                .map(BotService::details);
    }

    /**
     * Replaces the owners: an owner or an admin may; an admin also of a bot nobody owns
     * (unclaimed, or not yet known). Empty when the caller may not see the bot; a bot that
     * may see itself is refused (bots never change owners).
     */
    public Optional<BotDetails> setOwners(Caller caller, String username, List<String> users, List<String> groups,
            java.util.Set<String> otherFields, RequestContext context) {
        if (!Names.isBotName(username)) {
            return Optional.empty(); // no such bot can exist
        }
        Optional<Bot> current = bots.find(username, clock.instant());
        boolean allowed = access.seesEverything(caller)
                || current.map(bot -> access.mayManage(caller, bot.owners())).orElse(false);
        if (!allowed) {
            if (current.isPresent() && access.mayRead(caller, username, current.get().owners())) {
                throw new AccessDeniedException("bot-caller-read-only",
                        "a bot's token may read its bot but never change its owners");
            }
            return Optional.empty();
        }
        requireTouchable(username);
        List<Violation> violations = new java.util.ArrayList<>(BodyFields.refuse(otherFields));
        violations.addAll(access.checkOwners(users, groups));
        if (!violations.isEmpty()) {
            throw new PolicyDeniedException(new Decision.Denied(violations));
        }
        Owners owners = new Owners(users, groups);
        bots.setOwners(username, owners, clock.instant());
        metrics.ownersChanged();
        audit.append(ChangeRecord.of(caller, context, clock.instant(), ChangeRecord.SET_OWNERS, username,
                AuditOutcome.OWNERS_CHANGED, "owners: users " + owners.users() + ", groups " + owners.groups(), null));
        return bots.find(username, clock.instant()).map(BotService::details);
    }

    /**
     * Owned when the broker lists owners; otherwise claimable only if the bot never had a
     * token in Gafaelfawr (its change history, kept a year: a revoked or expired token
     * still counts). A bot row left without owners by a failed mint blocks nothing.
     */
    private BotAccess.Standing standing(Caller caller, String username) {
        Optional<BotAccess.Standing> owned = owned(username);
        if (owned.isPresent()) {
            return owned.get();
        }
        if (access.isAdmin(caller)) {
            return new BotAccess.Standing.New(); // an admin mints either way: Gafaelfawr need not be asked
        }
        boolean hadTokens = gafaelfawr.hasTokenHistory(username);
        // Read again: a claim commits before its mint, so history seen just now may be a fresh
        // claimant's, and then its claim is visible here.
        return owned(username).orElse(hadTokens ? new BotAccess.Standing.Unclaimed() : new BotAccess.Standing.New());
    }

    private Optional<BotAccess.Standing> owned(String username) {
        return bots.owners(username).filter(owners -> !owners.isEmpty()).map(BotAccess.Standing.Owned::new);
    }
}
