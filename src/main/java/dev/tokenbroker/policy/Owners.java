package dev.tokenbroker.policy;

import java.util.List;
import java.util.TreeSet;

/** Who owns a bot: Gafaelfawr usernames and groups, each sorted and without duplicates. */
public record Owners(List<String> users, List<String> groups) {

    public static final Owners NONE = new Owners(List.of(), List.of());

    public Owners {
        users = List.copyOf(new TreeSet<>(users == null ? List.of() : users));
        groups = List.copyOf(new TreeSet<>(groups == null ? List.of() : groups));
    }

    public static Owners soleUser(String username) {
        return new Owners(List.of(username), List.of());
    }

    public boolean isEmpty() {
        return users.isEmpty() && groups.isEmpty();
    }

    /** A caller owns the bot when its username, or one of its groups, is listed. */
    public boolean includes(Caller caller) {
        return users.contains(caller.username()) || groups.stream().anyMatch(caller.groups()::contains);
    }
}
