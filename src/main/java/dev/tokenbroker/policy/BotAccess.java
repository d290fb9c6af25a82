package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.FORBIDDEN;
import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may act on a bot: its owners, and admins (holders of the admin scope). Pure
 * rules; the service tells it what it knows of the bot.
 */
public final class BotAccess {

    /** What the broker and Gafaelfawr know of a bot when someone wants to mint for it. */
    public sealed interface Standing {
        /** The broker lists owners for it. */
        record Owned(Owners owners) implements Standing {
        }

        /** It has had tokens in Gafaelfawr (made by hand, or minted by an admin), but nobody owns it. */
        record Unclaimed() implements Standing {
        }

        /** Neither the broker nor Gafaelfawr knows it: the first caller may claim it. */
        record New() implements Standing {
        }
    }

    /** How a mint is allowed. */
    public enum Grant {
        OWNER, ADMIN, CLAIM
    }

    public static final int MAX_OWNERS = 50;
    public static final int MAX_OWNER_NAME = 64;
    /** Gafaelfawr's group-name rule. */
    static final Pattern GROUP = Pattern.compile("^[a-zA-Z][a-zA-Z0-9._-]*$");

    private final String adminScope;

    public BotAccess(String adminScope) {
        this.adminScope = adminScope;
    }

    public boolean isAdmin(Caller caller) {
        return caller.holds(adminScope);
    }

    /** How the caller may mint for the bot; null when it may not (see {@link #refusal}). */
    public Grant grant(Caller caller, Standing standing) {
        if (standing instanceof Standing.Owned owned && owned.owners().includes(caller)) {
            return Grant.OWNER;
        }
        if (isAdmin(caller)) {
            return Grant.ADMIN;
        }
        return standing instanceof Standing.New ? Grant.CLAIM : null;
    }

    /** Why a caller without a grant may not mint: rule bot-unclaimed or bot-not-owned. */
    public static Decision.Denied refusal(String username, Standing standing) {
        return new Decision.Denied(List.of(violation(username, standing)));
    }

    private static Violation violation(String username, Standing standing) {
        if (standing instanceof Standing.Unclaimed) {
            return new Violation("username", "bot-unclaimed", FORBIDDEN, "bot " + username
                    + " has had tokens in Gafaelfawr but has no owner in the broker: only an admin may mint for it"
                    + " or give it owners");
        }
        return new Violation("username", "bot-not-owned", FORBIDDEN,
                "bot " + username + " belongs to others: ask one of its owners to add you");
    }

    /** Whether the caller may manage (owners, revoke, rotate) a bot with these owners: never a bot. */
    public boolean mayManage(Caller caller, Owners owners) {
        return !caller.isBot() && (owners.includes(caller) || isAdmin(caller));
    }

    /** Whether the caller may see the bot and its tokens: who may manage it, and the bot itself. */
    public boolean mayRead(Caller caller, String bot, Owners owners) {
        return caller.isBot() ? caller.username().equals(bot) : mayManage(caller, owners);
    }

    /** Whether the caller sees every bot (admins; a bot never, whatever its scopes). */
    public boolean seesEverything(Caller caller) {
        return !caller.isBot() && isAdmin(caller);
    }

    /**
     * The broker's own identity (its admin token's user) is nobody's to mint for, rotate,
     * own or claim, not even an admin's: a token for that name would be a namesake of the
     * broker's god-mode credential. Empty when {@code bot} is some other bot.
     */
    public static Optional<Violation> untouchable(String bot, String brokerIdentity) {
        if (bot == null || !bot.equals(brokerIdentity)) {
            return Optional.empty();
        }
        return Optional.of(new Violation("username", "broker-identity", FORBIDDEN, bot
                + " is the broker's own identity: nobody obtains its tokens or owns it through the broker"));
    }

    /**
     * The rules a new owner set must pass: not empty, people's names (a bot, the broker's
     * identity included, owns nothing), valid groups, at most {@link #MAX_OWNERS} distinct owners.
     */
    public List<Violation> checkOwners(List<String> users, List<String> groups) {
        List<Violation> violations = new ArrayList<>();
        if (users == null || groups == null || users.stream().anyMatch(Objects::isNull)
                || groups.stream().anyMatch(Objects::isNull)) {
            violations.add(new Violation(users == null || users.contains(null) ? "users" : "groups", "owners-null",
                    INVALID, "users and groups must be arrays of names, without null"));
            return violations;
        }
        if (users.isEmpty() && groups.isEmpty()) {
            violations.add(new Violation("users", "owners-empty", INVALID,
                    "a bot needs at least one owner (a user or a group)"));
        }
        // Repeating a name changes nothing, so only distinct owners count toward the limit.
        if (new java.util.HashSet<>(users).size() + new java.util.HashSet<>(groups).size() > MAX_OWNERS) {
            violations.add(new Violation("users", "owners-too-many", INVALID,
                    "at most " + MAX_OWNERS + " owners, users and groups together"));
        }
        for (int i = 0; i < users.size(); i++) {
            String user = users.get(i);
            if (user.length() > MAX_OWNER_NAME || !IssuancePolicy.USERNAME.matcher(user).matches()) {
                violations.add(new Violation("users[" + i + "]", "owner-username", INVALID,
                        "\"" + shown(user) + "\" is not a Gafaelfawr username"));
            } else if (user.startsWith(Caller.BOT_PREFIX)) {
                violations.add(new Violation("users[" + i + "]", "owner-username", INVALID,
                        "\"" + user + "\" is a bot: bots own nothing, only people and groups do"));
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (group.length() > MAX_OWNER_NAME || !GROUP.matcher(group).matches()) {
                violations.add(new Violation("groups[" + i + "]", "owner-group", INVALID,
                        "\"" + shown(group) + "\" is not a Gafaelfawr group name"));
            }
        }
        return violations;
    }

    private static String shown(String text) {
        String cut = text.length() > MAX_OWNER_NAME ? text.substring(0, MAX_OWNER_NAME) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
