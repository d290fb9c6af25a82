package dev.tokenbroker.registry;

import dev.tokenbroker.policy.QuotaPolicy;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tokens the broker minted, for quotas, listing, revocation and rotation. Quotas are
 * counted under row locks (the caller's, then the bot's, always in that order), so that
 * replicas sharing the database count one at a time and never both take the last place.
 */
@ApplicationScoped
public class TokenStore {

    private static final String COLUMNS = "issuance_id, username, state, token_key, name, scopes, expires,"
            + " requested_by, reserved_at, issued_at, replaces, revoke_after, revoke_actor, revoked_at, revoked_by, rotated_at";

    private final AgroalDataSource dataSource;
    private final BotStore bots;

    @Inject
    public TokenStore(AgroalDataSource dataSource, BotStore bots) {
        this.dataSource = dataSource;
        this.bots = bots;
    }

    /**
     * A token about to be minted: what the reservation row records. {@code replaces} is the key
     * of the token a rotation replaces; {@code claimsRotation} marks that token rotated in the
     * same transaction (false when an Idempotency-Key replays a rotation that already did).
     */
    public record Reservation(String issuanceId, String username, String name, List<String> scopes, Instant expires,
            String requestedBy, String replaces, boolean claimsRotation) {
    }

    /** What a reservation came to: refused by the quota function, the replaced token rotated already, or written. */
    public record Reserved<T>(Optional<T> refused, boolean alreadyRotated) {
        public boolean written() {
            return refused.isEmpty() && !alreadyRotated;
        }
    }

    /**
     * Counts the caller's issuances in the last hour and the bot's active tokens under their
     * locks, asks {@code refusal} whether they allow one more, and if so reserves the place
     * (and, for a first rotation, marks the replaced token rotated: at most one rotation wins).
     */
    public <T> Reserved<T> reserve(Reservation reservation, Instant now,
            Function<QuotaPolicy.Usage, Optional<T>> refusal) {
        ensureCallerRow(reservation.requestedBy());
        bots.ensure(reservation.username(), now);
        return BotStore.run(() -> Sql.inTransaction(dataSource, connection -> {
            Sql.exists(connection, "SELECT username FROM quota_caller WHERE username = ? FOR UPDATE",
                    reservation.requestedBy());
            Sql.exists(connection, "SELECT username FROM bot WHERE username = ? FOR UPDATE", reservation.username());
            boolean replacedLive = false;
            if (reservation.replaces() != null) {
                if (reservation.claimsRotation() && Sql.exists(connection, "SELECT 1 FROM service_token"
                        + " WHERE token_key = ? AND rotated_at IS NOT NULL", reservation.replaces())) {
                    return new Reserved<T>(Optional.empty(), true);
                }
                replacedLive = Sql.exists(connection, "SELECT 1 FROM service_token WHERE token_key = ?"
                        + " AND state = 'issued' AND revoked_at IS NULL AND expires > ?", reservation.replaces(),
                        now.getEpochSecond());
            }
            long windowStart = now.minus(QuotaPolicy.CALLER_WINDOW).toEpochMilli();
            long byCaller = Sql.number(connection, "SELECT COUNT(*) FROM service_token"
                    + " WHERE requested_by = ? AND reserved_at > ?", reservation.requestedBy(), windowStart);
            long oldest = Sql.number(connection, "SELECT COALESCE(MIN(reserved_at), 0) FROM service_token"
                    + " WHERE requested_by = ? AND reserved_at > ?", reservation.requestedBy(), windowStart);
            String active = " FROM service_token WHERE username = ? AND revoked_at IS NULL AND expires > ?";
            long ofBot = Sql.number(connection, "SELECT COUNT(*)" + active, reservation.username(),
                    now.getEpochSecond());
            long soonest = Sql.number(connection, "SELECT COALESCE(MIN(expires), 0)" + active,
                    reservation.username(), now.getEpochSecond());
            Optional<T> refused = refusal.apply(new QuotaPolicy.Usage(byCaller, Instant.ofEpochMilli(oldest), ofBot,
                    soonest == 0 ? null : Instant.ofEpochSecond(soonest), replacedLive));
            if (refused.isEmpty()) {
                if (reservation.claimsRotation()) {
                    Sql.update(connection, "UPDATE service_token SET rotated_at = ?, rotated_by_issuance = ?"
                            + " WHERE token_key = ?", now.toEpochMilli(), reservation.issuanceId(),
                            reservation.replaces());
                }
                Sql.update(connection, "INSERT INTO service_token (issuance_id, username, state, name, scopes,"
                        + " expires, requested_by, reserved_at, replaces) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?)",
                        reservation.issuanceId(), reservation.username(), reservation.name(),
                        String.join(" ", reservation.scopes()), reservation.expires().getEpochSecond(),
                        reservation.requestedBy(), now.toEpochMilli(), reservation.replaces());
            }
            return new Reserved<>(refused, false);
        }));
    }

    private void ensureCallerRow(String caller) {
        try (Connection connection = dataSource.getConnection()) {
            if (!Sql.exists(connection, "SELECT 1 FROM quota_caller WHERE username = ?", caller)) {
                Sql.update(connection, "INSERT INTO quota_caller (username) VALUES (?)", caller);
            }
        } catch (SQLException e) {
            if (!Sql.isDuplicate(e)) {
                throw new RegistryException("cannot record caller " + caller + " for its quota", e);
            }
        }
    }

    /** The reserved token was minted under this key. */
    public void issued(String issuanceId, String key, Instant at) {
        BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.update(connection, "UPDATE service_token SET state = 'issued', token_key = ?, issued_at = ?"
                        + " WHERE issuance_id = ?", key, at.toEpochMilli(), issuanceId);
            }
        });
    }

    /**
     * Gafaelfawr certainly minted nothing (or what it minted was revoked undelivered): the
     * place is given back, and a token this issuance was to replace may be rotated again.
     */
    public void release(String issuanceId) {
        BotStore.run(() -> Sql.inTransaction(dataSource, connection -> {
            int released = Sql.update(connection,
                    "DELETE FROM service_token WHERE issuance_id = ? AND state = 'pending'", issuanceId);
            if (released > 0) {
                Sql.update(connection, "UPDATE service_token SET rotated_at = NULL, rotated_by_issuance = NULL"
                        + " WHERE rotated_by_issuance = ?", issuanceId);
            }
            return released;
        }));
    }

    /** The token was revoked (a compensation, a DELETE, a rotation, or found revoked in Gafaelfawr). */
    public void revoked(String key, String by, Instant at) {
        BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.update(connection, "UPDATE service_token SET revoked_at = ?, revoked_by = ?"
                        + " WHERE token_key = ? AND revoked_at IS NULL", at.toEpochMilli(), by, key);
            }
        });
    }

    /**
     * A rotation's revocation of the old token, due at {@code after}, on behalf of {@code actor}.
     * Set once: a grace, once fixed, is never moved later.
     */
    public void scheduleRevocation(String key, Instant after, String actor) {
        BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.update(connection, "UPDATE service_token SET revoke_after = ?, revoke_actor = ?"
                        + " WHERE token_key = ? AND revoked_at IS NULL AND revoke_after IS NULL",
                        after.toEpochMilli(), actor, key);
            }
        });
    }

    /** Scheduled revocations that are due, oldest first. */
    public List<StoredToken> dueRevocations(Instant now, int limit) {
        return select("revoke_after <= ? AND revoked_at IS NULL ORDER BY revoke_after", List.of(now.toEpochMilli()),
                limit);
    }

    /**
     * Takes a due revocation for this replica by moving its due time to {@code leaseUntil}, if
     * nobody moved it first: one replica acts on it, and if that one dies, the lease runs out
     * and another does.
     */
    public boolean claimRevocation(String key, Instant due, Instant leaseUntil) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.update(connection, "UPDATE service_token SET revoke_after = ? WHERE token_key = ?"
                        + " AND revoke_after = ? AND revoked_at IS NULL", leaseUntil.toEpochMilli(), key,
                        due.toEpochMilli()) == 1;
            }
        });
    }

    /** Issuances still pending that were reserved before {@code cutoff}: crashed, or their outcome unknown. */
    public List<StoredToken> pendingBefore(Instant cutoff, int limit) {
        return select("state = 'pending' AND reserved_at < ? ORDER BY reserved_at", List.of(cutoff.toEpochMilli()),
                limit);
    }

    /**
     * Whether another reservation of the same bot asking for the same expiry and scopes is
     * still pending and was reserved at or after {@code cutoff}: a mint possibly still in flight.
     */
    public boolean hasUnsettledTwin(StoredToken issuance, Instant cutoff) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.exists(connection, "SELECT 1 FROM service_token WHERE username = ? AND state = 'pending'"
                        + " AND issuance_id <> ? AND expires = ? AND scopes = ? AND reserved_at >= ?",
                        issuance.username(), issuance.issuanceId(), issuance.expires().getEpochSecond(),
                        String.join(" ", issuance.scopes()), cutoff.toEpochMilli());
            }
        });
    }

    /** Whether the issuance's reservation is still pending (in flight, or its outcome unknown). */
    public boolean isPending(String issuanceId) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.exists(connection, "SELECT 1 FROM service_token WHERE issuance_id = ? AND state = 'pending'",
                        issuanceId);
            }
        });
    }

    /** Whether an issued record names the key: the caller received that token. */
    public boolean isIssued(String key) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.exists(connection, "SELECT 1 FROM service_token WHERE token_key = ? AND state = 'issued'",
                        key);
            }
        });
    }

    public Optional<StoredToken> findByKey(String key) {
        return select("token_key = ? ORDER BY reserved_at DESC", List.of(key), 1).stream().findFirst();
    }

    /** Issued tokens visible to the query, newest first, after the cursor when given. */
    public List<StoredToken> list(Visibility visibility, String username, StoredToken.Cursor after, int limit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("state = 'issued' AND ")
                .append(visibility.condition("service_token.username", parameters));
        if (username != null) {
            where.append(" AND username = ?");
            parameters.add(username);
        }
        if (after != null) {
            where.append(" AND (reserved_at < ? OR (reserved_at = ? AND issuance_id < ?))");
            parameters.addAll(List.of(after.reservedAt(), after.reservedAt(), after.issuanceId()));
        }
        where.append(" ORDER BY reserved_at DESC, issuance_id DESC");
        return select(where.toString(), parameters, limit);
    }

    private List<StoredToken> select(String where, List<Object> parameters, int limit) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement(
                            "SELECT " + COLUMNS + " FROM service_token WHERE " + where)) {
                select.setMaxRows(limit);
                Sql.bind(select, parameters);
                List<StoredToken> tokens = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        tokens.add(read(row));
                    }
                }
                return tokens;
            }
        });
    }

    private static StoredToken read(ResultSet row) throws SQLException {
        return new StoredToken(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), Arrays.asList(row.getString(6).split(" ")), Instant.ofEpochSecond(row.getLong(7)),
                row.getString(8), Instant.ofEpochMilli(row.getLong(9)), millis(row, 10), row.getString(11),
                millis(row, 12), row.getString(13), millis(row, 14), row.getString(15), millis(row, 16));
    }

    private static Instant millis(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(value);
    }
}
