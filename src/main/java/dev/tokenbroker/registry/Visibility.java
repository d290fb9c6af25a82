package dev.tokenbroker.registry;

import java.util.List;
import java.util.Set;

/**
 * Which bots a query may return: all of them, or those a user owns by name or group.
 * The service decides which applies; the stores only turn it into SQL.
 */
public record Visibility(boolean all, String user, Set<String> groups, String bot) {

    public static Visibility everything() {
        return new Visibility(true, null, Set.of(), null);
    }

    /** A bot sees itself and nothing else. */
    public static Visibility onlyBot(String bot) {
        return new Visibility(false, null, Set.of(), bot);
    }

    public static Visibility ownedBy(String user, Set<String> groups) {
        return new Visibility(false, user, Set.copyOf(groups), null);
    }

    /** A condition on a bot's username column, with its parameters appended to {@code parameters}. */
    String condition(String usernameColumn, List<Object> parameters) {
        if (all) {
            return "1 = 1";
        }
        if (bot != null) {
            parameters.add(bot);
            return usernameColumn + " = ?";
        }
        StringBuilder sql = new StringBuilder("EXISTS (SELECT 1 FROM bot_owner o WHERE o.username = ")
                .append(usernameColumn).append(" AND ((o.kind = 'user' AND o.name = ?)");
        parameters.add(user);
        if (!groups.isEmpty()) {
            sql.append(" OR (o.kind = 'group' AND o.name IN (")
                    .append(String.join(", ", java.util.Collections.nCopies(groups.size(), "?"))).append("))");
            parameters.addAll(groups.stream().sorted().toList());
        }
        return sql.append("))").toString();
    }
}
