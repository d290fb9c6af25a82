package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.FORBIDDEN;
import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

        /** Tokens exist for it (in Gafaelfawr, or minted by an admin), but nobody owns it. */
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
                    + " has tokens but no owner in the broker: only an admin may mint for it or give it owners");
        }
        return new Violation("username", "bot-not-owned", FORBIDDEN,
                "bot " + username + " belongs to others: ask one of its owners to add you");
    }

    /** Whether the caller may see or manage (owners, revoke, rotate) a bot with these owners. */
    public boolean mayManage(Caller caller, Owners owners) {
        return owners.includes(caller) || isAdmin(caller);
    }

    /** The rules a new owner set must pass: not empty, valid names, bounded. */
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
        if (users.size() + groups.size() > MAX_OWNERS) {
            violations.add(new Violation("users", "owners-too-many", INVALID,
                    "at most " + MAX_OWNERS + " owners, users and groups together"));
        }
        for (int i = 0; i < users.size(); i++) {
            String user = users.get(i);
            if (user.length() > MAX_OWNER_NAME || !IssuancePolicy.USERNAME.matcher(user).matches()) {
                violations.add(new Violation("users[" + i + "]", "owner-username", INVALID,
                        "\"" + shown(user) + "\" is not a Gafaelfawr username"));
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
