package dev.tokenbroker.registry;

import dev.tokenbroker.policy.Owners;
import dev.tokenbroker.storage.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Bots and their owners in the database. Claims are atomic: the bot's primary key decides. */
@ApplicationScoped
public class BotStore {

    private final AgroalDataSource dataSource;

    @Inject
    public BotStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The bot's owners, if the broker knows it: all a mint needs (no count of its tokens). */
    /** The bot's owners (empty lists when it has none), or empty when the broker does not know the bot. */
    public Optional<Owners> owners(String username) {
        return run(() -> {
            // One round trip: every mint reads this.
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement("SELECT o.kind, o.name FROM bot b"
                            + " LEFT JOIN bot_owner o ON o.username = b.username WHERE b.username = ?")) {
                select.setString(1, username);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    List<String> users = new ArrayList<>();
                    List<String> groups = new ArrayList<>();
                    do {
                        String kind = row.getString(1);
                        if (kind != null) {
                            ("group".equals(kind) ? groups : users).add(row.getString(2));
                        }
                    } while (row.next());
                    return Optional.of(new Owners(users, groups));
                }
            }
        });
    }

    public Optional<Bot> find(String username, Instant now) {
        return run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                List<Object> parameters = new ArrayList<>(List.of(username));
                List<Bot> found = query(connection, "b.username = ?", parameters, 1, now);
                return found.stream().findFirst();
            }
        });
    }

    /**
     * Makes {@code claimant} the sole owner of a bot nobody owns (unknown, or left without
     * owners by an admin's mint that failed). False when it has owners already (another claim,
     * or an admin, came first): the bot's row lock lets exactly one claim win, on any replica.
     */
    public boolean claim(String username, String claimant, Instant at) {
        ensure(username, at);
        return run(() -> Sql.inTransaction(dataSource, connection -> {
            Sql.exists(connection, "SELECT username FROM bot WHERE username = ? FOR UPDATE", username);
            if (Sql.exists(connection, "SELECT 1 FROM bot_owner WHERE username = ?", username)) {
                return false;
            }
            Sql.update(connection, "UPDATE bot SET claimed_by = ?, claimed_at = ? WHERE username = ?", claimant,
                    at.toEpochMilli(), username);
            Sql.update(connection, "INSERT INTO bot_owner (username, kind, name) VALUES (?, 'user', ?)",
                    username, claimant);
            return true;
        }));
    }

    /** Records a bot without owners (an admin minted for it), unless it is known already. */
    public void ensure(String username, Instant at) {
        try (Connection connection = dataSource.getConnection()) {
            // Known bots are the common case: a read, rather than a refused insert, on every mint.
            if (!Sql.exists(connection, "SELECT 1 FROM bot WHERE username = ?", username)) {
                Sql.update(connection, "INSERT INTO bot (username, created_at) VALUES (?, ?)", username,
                        at.toEpochMilli());
            }
        } catch (SQLException e) {
            if (!Sql.isDuplicate(e)) {
                throw new RegistryException("cannot record bot " + username, e);
            }
        }
    }

    /** Replaces the bot's owners in one transaction; the bot is recorded first if it is new. */
    public void setOwners(String username, Owners owners, Instant at) {
        ensure(username, at);
        run(() -> Sql.inTransaction(dataSource, connection -> {
            Sql.exists(connection, "SELECT username FROM bot WHERE username = ? FOR UPDATE", username);
            Sql.update(connection, "DELETE FROM bot_owner WHERE username = ?", username);
            for (String user : owners.users()) {
                Sql.update(connection, "INSERT INTO bot_owner (username, kind, name) VALUES (?, 'user', ?)",
                        username, user);
            }
            for (String group : owners.groups()) {
                Sql.update(connection, "INSERT INTO bot_owner (username, kind, name) VALUES (?, 'group', ?)",
                        username, group);
            }
            return null;
        }));
    }

    /** Bots visible to the query, newest first, after the cursor when given; {@code owner} matches a user or group. */
    public List<Bot> list(Visibility visibility, String owner, Bot.Cursor after, int limit, Instant now) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder(visibility.condition("b.username", parameters));
        if (owner != null) {
            where.append(" AND EXISTS (SELECT 1 FROM bot_owner f WHERE f.username = b.username AND f.name = ?)");
            parameters.add(owner);
        }
        if (after != null) {
            where.append(" AND (b.created_at < ? OR (b.created_at = ? AND b.username < ?))");
            parameters.addAll(List.of(after.createdAt(), after.createdAt(), after.username()));
        }
        return run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return query(connection, where.toString(), parameters, limit, now);
            }
        });
    }

    private static List<Bot> query(Connection connection, String where, List<Object> parameters, int limit,
            Instant now) throws SQLException {
        String sql = "SELECT b.username, b.created_at, b.claimed_by, b.claimed_at,"
                + " (SELECT COUNT(*) FROM service_token t WHERE t.username = b.username AND "
                + StoredToken.active("t.") + ")"
                + " FROM bot b WHERE " + where + " ORDER BY b.created_at DESC, b.username DESC";
        List<Object> all = new ArrayList<>();
        all.add(now.getEpochSecond());
        all.addAll(parameters);
        List<Bot> bots = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setMaxRows(limit);
            Sql.bind(select, all);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long claimedAt = row.getLong(4);
                    boolean claimed = !row.wasNull();
                    bots.add(new Bot(row.getString(1), Instant.ofEpochMilli(row.getLong(2)), row.getString(3),
                            claimed ? Instant.ofEpochMilli(claimedAt) : null, null, row.getLong(5)));
                }
            }
        }
        List<Bot> withOwners = new ArrayList<>(bots.size());
        for (Bot bot : bots) {
            withOwners.add(new Bot(bot.username(), bot.createdAt(), bot.claimedBy(), bot.claimedAt(),
                    owners(connection, bot.username()), bot.activeTokens()));
        }
        return withOwners;
    }

    private static Owners owners(Connection connection, String username) throws SQLException {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, name FROM bot_owner WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ("group".equals(row.getString(1)) ? groups : users).add(row.getString(2));
                }
            }
        }
        return new Owners(users, groups);
    }

    interface Call<T> {
        T call() throws SQLException;
    }

    static <T> T run(Call<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new RegistryException("the bot registry cannot be read or written (SQL state "
                    + e.getSQLState() + ")", e);
        }
    }
}
