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

    private static final String PENDING = StoredToken.State.PENDING.column();
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
     * Reads the caller's issuances in the last hour and the bot's live tokens under their
     * locks (the caller's row, then the bot's, always in that order), asks {@code refusal}
     * whether they allow one more, and if so reserves the place (and, for a first rotation,
     * marks the replaced token rotated: at most one rotation wins). Constant time: the
     * caller's count adds at most 60 minute rows; the bot's is a counter, recounted only
     * when its soonest expiry has passed. {@code alsoInTransaction} runs in the same
     * transaction once the place is reserved (the pending audit record).
     */
    public <T> Reserved<T> reserve(Reservation reservation, Instant now,
            Function<QuotaPolicy.Usage, Optional<T>> refusal, Sql.Work<?> alsoInTransaction) {
        for (int attempt = 0; ; attempt++) {
            try {
                return BotStore.run(() -> Sql.inTransaction(dataSource,
                        connection -> reserveIn(connection, reservation, now, refusal, alsoInTransaction)));
            } catch (NotReserved not) {
                @SuppressWarnings("unchecked")
                Reserved<T> answer = (Reserved<T>) not.answer;
                return answer;
            } catch (MissingRow missing) {
                if (attempt > 0) {
                    throw new RegistryException("cannot lock " + missing.getMessage(), null);
                }
                // First mint of this caller or this bot: create its row, then reserve again.
                ensureCallerRow(reservation.requestedBy());
                bots.ensure(reservation.username(), now);
            }
        }
    }

    /** A row the reservation locks does not exist yet. */
    private static final class MissingRow extends RuntimeException {
        MissingRow(String what) {
            super(what, null, false, false);
        }
    }

    /** The reservation was refused: its transaction rolls back what it wrote before the locks. */
    private static final class NotReserved extends RuntimeException {
        final transient Reserved<?> answer;

        NotReserved(Reserved<?> answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    /**
     * The rows of this reservation alone come first (the pending token, the audit intent);
     * the shared rows (the caller's, then the bot's) are locked last, so that concurrent
     * reservations of one caller or bot wait for each other only over the counting and
     * the commit.
     */
    private <T> Reserved<T> reserveIn(Connection connection, Reservation reservation, Instant now,
            Function<QuotaPolicy.Usage, Optional<T>> refusal, Sql.Work<?> alsoInTransaction) throws SQLException {
        long expires = reservation.expires().getEpochSecond();
        Sql.update(connection, "INSERT INTO service_token (issuance_id, username, state, name, scopes,"
                + " expires, requested_by, reserved_at, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                reservation.issuanceId(), reservation.username(), StoredToken.State.PENDING.column(),
                reservation.name(), String.join(" ", reservation.scopes()), expires, reservation.requestedBy(),
                now.toEpochMilli(), reservation.replaces());
        if (alsoInTransaction != null) {
            alsoInTransaction.apply(connection);
        }
        if (!Sql.exists(connection, "SELECT username FROM quota_caller WHERE username = ? FOR UPDATE",
                reservation.requestedBy())) {
            throw new MissingRow("caller " + reservation.requestedBy());
        }
        BotCount bot = lockBot(connection, reservation.username(), reservation.issuanceId(), now);
        if (bot == null) {
            throw new MissingRow("bot " + reservation.username());
        }
        boolean replacedLive = false;
        if (reservation.replaces() != null) {
            if (reservation.claimsRotation() && Sql.exists(connection, "SELECT 1 FROM service_token"
                    + " WHERE token_key = ? AND rotated_at IS NOT NULL", reservation.replaces())) {
                throw new NotReserved(new Reserved<T>(Optional.empty(), true));
            }
            replacedLive = Sql.exists(connection, "SELECT 1 FROM service_token WHERE token_key = ? AND "
                    + StoredToken.active(""), reservation.replaces(), now.getEpochSecond());
        }
        long minute = minuteOf(now.toEpochMilli());
        long firstMinute = minute - QuotaPolicy.CALLER_WINDOW.toMinutes() + 1;
        CallerWindow window = callerWindow(connection, reservation.requestedBy(), firstMinute);
        Optional<T> refused = refusal.apply(new QuotaPolicy.Usage(window.issued(), window.oldest(), bot.live(),
                bot.nextExpiry() == null ? null : Instant.ofEpochSecond(bot.nextExpiry()), replacedLive));
        if (refused.isPresent()) {
            throw new NotReserved(new Reserved<>(refused, false));
        }
        if (Sql.update(connection, "UPDATE quota_caller_minute SET issued = issued + 1 WHERE username = ?"
                + " AND epoch_minute = ?", reservation.requestedBy(), minute) == 0) {
            Sql.update(connection, "INSERT INTO quota_caller_minute (username, epoch_minute, issued) VALUES (?, ?, 1)",
                    reservation.requestedBy(), minute);
        }
        if (window.hasOlderBuckets()) {
            // Old buckets are dropped by the caller's own next reservation, under its lock.
            Sql.update(connection, "DELETE FROM quota_caller_minute WHERE username = ? AND epoch_minute < ?",
                    reservation.requestedBy(), firstMinute);
        }
        Sql.update(connection, "UPDATE bot SET live_tokens = ?, next_expiry = ? WHERE username = ?", bot.live() + 1,
                bot.nextExpiry() == null ? expires : Math.min(bot.nextExpiry(), expires), reservation.username());
        if (reservation.claimsRotation()) {
            Sql.update(connection, "UPDATE service_token SET rotated_at = ?, rotated_by_issuance = ?"
                    + " WHERE token_key = ?", now.toEpochMilli(), reservation.issuanceId(), reservation.replaces());
        }
        return new Reserved<>(Optional.empty(), false);
    }

    /** The caller's issuances in the window, its oldest minute there, and whether older buckets remain. */
    private record CallerWindow(long issued, Instant oldest, boolean hasOlderBuckets) {
    }

    /** One round trip: the window is whole minutes, so the caller's count adds at most 60 rows. */
    private static CallerWindow callerWindow(Connection connection, String caller, long firstMinute)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT"
                + " COALESCE(SUM(CASE WHEN epoch_minute >= ? THEN issued ELSE 0 END), 0),"
                + " MIN(CASE WHEN epoch_minute >= ? AND issued > 0 THEN epoch_minute END),"
                + " MIN(epoch_minute) FROM quota_caller_minute WHERE username = ?")) {
            select.setLong(1, firstMinute);
            select.setLong(2, firstMinute);
            select.setString(3, caller);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                long issued = row.getLong(1);
                long oldestInWindow = row.getLong(2); // 0 when none: the epoch, long out of any window
                long oldestAny = row.getLong(3);
                boolean older = !row.wasNull() && oldestAny < firstMinute;
                // The oldest minute's issuances leave the window when that minute's start is an hour old.
                return new CallerWindow(issued, Instant.ofEpochMilli(oldestInWindow * 60_000), older);
            }
        }
    }

    /** The bot's live-token counter, locked; recounted exactly once its soonest expiry has passed. Null: no row. */
    private static BotCount lockBot(Connection connection, String username, String ownIssuance, Instant now)
            throws SQLException {
        BotCount bot;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT live_tokens, next_expiry FROM bot WHERE username = ? FOR UPDATE")) {
            select.setString(1, username);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                long next = row.getLong(2);
                bot = new BotCount(row.getLong(1), row.wasNull() ? null : next);
            }
        }
        if (bot.nextExpiry() == null || bot.nextExpiry() > now.getEpochSecond()) {
            return bot;
        }
        // A token left by expiring, which no transaction saw: count the live ones again.
        // Not this reservation's own row, written earlier in the same transaction: the caller adds it.
        String live = " FROM service_token WHERE username = ? AND issuance_id <> ? AND "
                + StoredToken.holdsQuotaPlace("");
        long count = Sql.number(connection, "SELECT COUNT(*)" + live, username, ownIssuance, now.getEpochSecond());
        long soonest = Sql.number(connection, "SELECT COALESCE(MIN(expires), 0)" + live, username, ownIssuance,
                now.getEpochSecond());
        Long next = soonest == 0 ? null : soonest;
        Sql.update(connection, "UPDATE bot SET live_tokens = ?, next_expiry = ? WHERE username = ?", count, next,
                username);
        return new BotCount(count, next);
    }

    private record BotCount(long live, Long nextExpiry) {
    }

    private static long minuteOf(long epochMillis) {
        return epochMillis / 60_000;
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

    /**
     * The reserved token was minted under this key; {@code alsoInTransaction} (the issued
     * audit record) commits with it, or neither does.
     */
    public <T> T issued(String issuanceId, String key, Instant at, Sql.Work<T> alsoInTransaction) {
        return BotStore.run(() -> Sql.inTransaction(dataSource, connection -> {
            Sql.update(connection, "UPDATE service_token SET state = ?, token_key = ?, issued_at = ?"
                    + " WHERE issuance_id = ?", StoredToken.State.ISSUED.column(), key, at.toEpochMilli(), issuanceId);
            return alsoInTransaction.apply(connection);
        }));
    }

    /**
     * Gafaelfawr certainly minted nothing (or what it minted was revoked undelivered): the
     * place is given back, and a token this issuance was to replace may be rotated again.
     */
    public void release(String issuanceId) {
        BotStore.run(() -> Sql.inTransaction(dataSource, connection -> {
            Optional<StoredToken> pending = selectIn(connection, "issuance_id = ? AND state = ?",
                    List.of(issuanceId, PENDING), 1).stream().findFirst();
            if (pending.isEmpty() || Sql.update(connection,
                    "DELETE FROM service_token WHERE issuance_id = ? AND state = ?", issuanceId, PENDING) == 0) {
                return 0;
            }
            StoredToken released = pending.get();
            Sql.update(connection, "UPDATE quota_caller_minute SET issued = issued - 1 WHERE username = ?"
                    + " AND epoch_minute = ? AND issued > 0", released.requestedBy(),
                    minuteOf(released.reservedAt().toEpochMilli()));
            Sql.update(connection, "UPDATE bot SET live_tokens = live_tokens - 1 WHERE username = ?"
                    + " AND live_tokens > 0", released.username());
            Sql.update(connection, "UPDATE service_token SET rotated_at = NULL, rotated_by_issuance = NULL"
                    + " WHERE rotated_by_issuance = ?", issuanceId);
            return 1;
        }));
    }

    /**
     * The token was revoked (a compensation, a DELETE, a rotation, or found revoked in
     * Gafaelfawr); if it was still live, its bot holds one live token fewer.
     */
    public void revoked(String key, String by, Instant at) {
        BotStore.run(() -> Sql.inTransaction(dataSource, connection -> {
            Optional<StoredToken> live = selectIn(connection, "token_key = ? AND revoked_at IS NULL",
                    List.of(key), 1).stream().findFirst();
            if (live.isEmpty() || Sql.update(connection, "UPDATE service_token SET revoked_at = ?, revoked_by = ?"
                    + " WHERE token_key = ? AND revoked_at IS NULL", at.toEpochMilli(), by, key) == 0) {
                return 0;
            }
            if (live.get().expires().isAfter(at)) {
                // An expired one was no longer counted (or will be recounted: its expiry has passed).
                Sql.update(connection, "UPDATE bot SET live_tokens = live_tokens - 1 WHERE username = ?"
                        + " AND live_tokens > 0", live.get().username());
            }
            return 1;
        }));
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
        return select("state = ? AND reserved_at < ? ORDER BY reserved_at", List.of(PENDING, cutoff.toEpochMilli()),
                limit);
    }

    /**
     * Whether another reservation of the same bot asking for the same expiry and scopes is
     * still pending and was reserved at or after {@code cutoff}: a mint possibly still in flight.
     */
    public boolean hasUnsettledTwin(StoredToken issuance, Instant cutoff) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.exists(connection, "SELECT 1 FROM service_token WHERE username = ? AND state = ?"
                        + " AND issuance_id <> ? AND expires = ? AND scopes = ? AND reserved_at >= ?",
                        issuance.username(), PENDING, issuance.issuanceId(), issuance.expires().getEpochSecond(),
                        String.join(" ", issuance.scopes()), cutoff.toEpochMilli());
            }
        });
    }

    /** Whether the issuance's reservation is still pending (in flight, or its outcome unknown). */
    public boolean isPending(String issuanceId) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.exists(connection, "SELECT 1 FROM service_token WHERE issuance_id = ? AND state = ?",
                        issuanceId, PENDING);
            }
        });
    }

    /** Whether an issued record names the key: the caller received that token. */
    public boolean isIssued(String key) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return Sql.exists(connection, "SELECT 1 FROM service_token WHERE token_key = ? AND state = ?",
                        key, StoredToken.State.ISSUED.column());
            }
        });
    }

    public Optional<StoredToken> findByKey(String key) {
        return select("token_key = ? ORDER BY reserved_at DESC", List.of(key), 1).stream().findFirst();
    }

    /** Issued tokens visible to the query, newest first, after the cursor when given. */
    public List<StoredToken> list(Visibility visibility, String username, StoredToken.Cursor after, int limit) {
        List<Object> parameters = new ArrayList<>(List.of(StoredToken.State.ISSUED.column()));
        StringBuilder where = new StringBuilder("state = ? AND ")
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
            try (Connection connection = dataSource.getConnection()) {
                return selectIn(connection, where, parameters, limit);
            }
        });
    }

    private static List<StoredToken> selectIn(Connection connection, String where, List<Object> parameters, int limit)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
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
    }

    private static StoredToken read(ResultSet row) throws SQLException {
        return new StoredToken(row.getString(1), row.getString(2), StoredToken.State.ofColumn(row.getString(3)),
                row.getString(4),
                row.getString(5), Arrays.asList(row.getString(6).split(" ")), Instant.ofEpochSecond(row.getLong(7)),
                row.getString(8), Instant.ofEpochMilli(row.getLong(9)), millis(row, 10), row.getString(11),
                millis(row, 12), row.getString(13), millis(row, 14), row.getString(15), millis(row, 16));
    }

    private static Instant millis(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(value);
    }
}
