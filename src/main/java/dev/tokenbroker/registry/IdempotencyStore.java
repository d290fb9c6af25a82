package dev.tokenbroker.registry;

import dev.tokenbroker.storage.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys, claimed atomically in the database so that replicas agree: the primary
 * key (caller, key) lets one attempt hold a key at a time. No rule lives here: the store
 * reports what it found and moves a row only from the state the caller names.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** How long a key is remembered. */
    public static final Duration KEPT = Duration.ofHours(24);

    /** Where a key's attempt is: running (claimed), delivered its token (done), or ended without one (open). */
    public enum State {
        CLAIMED, DONE, OPEN;

        /** As the state column holds it. */
        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State ofColumn(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** A key's row as found. */
    public record Entry(String fingerprint, String issuanceId, State state, String username, String tokenKey,
            Instant updatedAt) {
    }

    private final AgroalDataSource dataSource;

    @Inject
    public IdempotencyStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the key for a new attempt; empty when it was free (or had expired), else the
     * row another attempt left, unchanged.
     */
    public Optional<Entry> claim(String caller, String key, String fingerprint, String issuanceId, String username,
            Instant now) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                Sql.update(connection, "DELETE FROM idempotency_key WHERE caller = ? AND idem_key = ?"
                        + " AND created_at < ?", caller, key, now.minus(KEPT).toEpochMilli());
                try {
                    Sql.update(connection, "INSERT INTO idempotency_key (caller, idem_key, fingerprint, issuance_id,"
                            + " state, username, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            caller, key, fingerprint, issuanceId, State.CLAIMED.column(), username, now.toEpochMilli(), now.toEpochMilli());
                    return Optional.empty();
                } catch (SQLException e) {
                    if (!Sql.isDuplicate(e)) {
                        throw e;
                    }
                }
                return find(connection, caller, key);
            }
        });
    }

    /**
     * Moves the key to a new attempt if it is still as found ({@code expected} attempt, in
     * {@code fromState}): true when this caller won it, false when another attempt moved first.
     */
    public boolean takeOver(String caller, String key, Entry expected, String issuanceId, Instant now) {
        return update("UPDATE idempotency_key SET state = ?, issuance_id = ?, updated_at = ?"
                + " WHERE caller = ? AND idem_key = ? AND issuance_id = ? AND state = ?", State.CLAIMED.column(),
                issuanceId, now.toEpochMilli(), caller, key, expected.issuanceId(), expected.state().column()) == 1;
    }

    /** The attempt delivered this token: a step of the transaction that marks it issued. */
    public static Sql.Work<Integer> deliveredStep(String caller, String key, String issuanceId, String tokenKey,
            Instant now) {
        return connection -> Sql.update(connection, "UPDATE idempotency_key SET state = ?, token_key = ?,"
                + " updated_at = ? WHERE caller = ? AND idem_key = ? AND issuance_id = ?", State.DONE.column(),
                tokenKey, now.toEpochMilli(), caller, key, issuanceId);
    }

    /** The attempt ended without a token: a retry may mint. */
    public void opened(String caller, String key, String issuanceId, Instant now) {
        update("UPDATE idempotency_key SET state = ?, updated_at = ? WHERE caller = ? AND idem_key = ?"
                + " AND issuance_id = ?", State.OPEN.column(), now.toEpochMilli(), caller, key, issuanceId);
    }

    /** Whatever key an issuance held (the reconciler resolved it) is open again. */
    public void openedIssuance(String issuanceId, Instant now) {
        update("UPDATE idempotency_key SET state = ?, updated_at = ? WHERE issuance_id = ? AND state = ?",
                State.OPEN.column(), now.toEpochMilli(), issuanceId, State.CLAIMED.column());
    }

    /** Puts back what a replay found, when it could not revoke the earlier token. */
    public void restore(String caller, String key, String issuanceId, Entry previous, Instant now) {
        update("UPDATE idempotency_key SET state = ?, issuance_id = ?, updated_at = ? WHERE caller = ?"
                + " AND idem_key = ? AND issuance_id = ?", previous.state().column(), previous.issuanceId(), now.toEpochMilli(),
                caller, key, issuanceId);
    }

    private int update(String sql, Object... values) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.update(connection, sql, values);
            }
        });
    }

    private static Optional<Entry> find(Connection connection, String caller, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT fingerprint, issuance_id, state,"
                + " username, token_key, updated_at FROM idempotency_key WHERE caller = ? AND idem_key = ?")) {
            select.setString(1, caller);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Entry(row.getString(1), row.getString(2), State.ofColumn(row.getString(3)),
                        row.getString(4), row.getString(5), Instant.ofEpochMilli(row.getLong(6)))) : Optional.empty();
            }
        }
    }
}
