package dev.tokenbroker.audit;

import dev.tokenbroker.metrics.BrokerMetrics;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log in the database, over plain JDBC. An append locks the chain head
 * row, links the record after it and moves the head, in one transaction: replicas
 * sharing the database therefore append in a single order.
 */
@ApplicationScoped
public class AuditStore {

    private static final String COLUMNS = "seq, id, issuance_id, event_time, request_id, caller_username,"
            + " caller_token_key, caller_token_type, client_address, user_agent, action, target_username,"
            + " display_name, scopes, expires, outcome, reason, token_key, prev_hash, hash, record_format";

    private final AgroalDataSource dataSource;
    private final AuditLogStream stream;
    private final BrokerMetrics metrics;

    @Inject
    public AuditStore(AgroalDataSource dataSource, AuditLogStream stream, BrokerMetrics metrics) {
        this.dataSource = dataSource;
        this.stream = stream;
        this.metrics = metrics;
    }

    /** Durably appends the record (committed on return) and writes its log line. */
    public StoredEvent append(AuditEvent event) {
        Timer.Sample sample = Timer.start(metrics.registry());
        StoredEvent stored;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                ChainHead head = lockHead(connection);
                stored = HashChain.link(head.seq() + 1, head.hash(), event);
                insert(connection, stored);
                try (PreparedStatement move = connection.prepareStatement(
                        "UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1")) {
                    move.setLong(1, stored.seq());
                    move.setString(2, stored.hash());
                    move.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            sample.stop(metrics.auditAppend(false));
            throw new AuditStoreException("cannot write the audit log (" + e.getClass().getSimpleName() + ", SQL state "
                    + e.getSQLState() + ")", e);
        }
        sample.stop(metrics.auditAppend(true));
        stream.write(stored);
        return stored;
    }

    /** Records matching the filter, newest first, with seq below {@code beforeSeq} when given. */
    public List<StoredEvent> find(AuditFilter filter, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_event WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        condition(sql, parameters, "caller_username = ?", filter.callerUsername());
        condition(sql, parameters, "target_username = ?", filter.targetUsername());
        condition(sql, parameters, "outcome = ?", filter.outcome() == null ? null : filter.outcome().label());
        condition(sql, parameters, "token_key = ?", filter.tokenKey());
        condition(sql, parameters, "event_time >= ?", filter.since() == null ? null : filter.since().toEpochMilli());
        condition(sql, parameters, "event_time <= ?", filter.until() == null ? null : filter.until().toEpochMilli());
        condition(sql, parameters, "seq < ?", beforeSeq);
        sql.append(" ORDER BY seq DESC LIMIT ").append(limit);
        return query(sql.toString(), parameters);
    }

    /** Records in chain order, from just after {@code afterSeq}. */
    public List<StoredEvent> inChainOrder(long afterSeq, int limit) {
        return query("SELECT " + COLUMNS + " FROM audit_event WHERE seq > ? ORDER BY seq ASC LIMIT " + limit,
                List.of(afterSeq));
    }

    /** Reads of the log that all see one moment: appends committed meanwhile are invisible to them. */
    public interface Snapshot {
        ChainHead head() throws SQLException;

        List<StoredEvent> inChainOrder(long afterSeq, int limit) throws SQLException;
    }

    /** Runs {@code reading} in one read-only, repeatable-read transaction. */
    public <T> T inSnapshot(java.util.function.Function<Snapshot, T> reading) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return reading.apply(new Snapshot() {
                    @Override
                    public ChainHead head() throws SQLException {
                        return readHead(connection, "SELECT seq, hash FROM audit_chain_head WHERE id = 1");
                    }

                    @Override
                    public List<StoredEvent> inChainOrder(long afterSeq, int limit) throws SQLException {
                        return query(connection, "SELECT " + COLUMNS
                                + " FROM audit_event WHERE seq > ? ORDER BY seq ASC LIMIT " + limit, List.of(afterSeq));
                    }
                });
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
            }
        } catch (SQLException | UncheckedSqlException e) {
            throw new AuditStoreException("cannot read the audit log", e);
        }
    }

    /** Carries a SQL failure out of a {@link Snapshot} reading. */
    public static final class UncheckedSqlException extends RuntimeException {
        public UncheckedSqlException(SQLException cause) {
            super(cause);
        }
    }

    public ChainHead head() {
        try (Connection connection = dataSource.getConnection()) {
            return readHead(connection, "SELECT seq, hash FROM audit_chain_head WHERE id = 1");
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit chain head", e);
        }
    }

    private static ChainHead readHead(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("the audit chain head row is missing");
            }
            return new ChainHead(row.getLong(1), row.getString(2));
        }
    }

    private static ChainHead lockHead(Connection connection) throws SQLException {
        return readHead(connection, "SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
    }

    private static void insert(Connection connection, StoredEvent stored) throws SQLException {
        AuditEvent e = stored.event();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_event (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, stored.seq());
            insert.setString(2, e.id());
            insert.setString(3, e.issuanceId());
            insert.setLong(4, e.time().toEpochMilli());
            insert.setString(5, e.requestId());
            insert.setString(6, e.callerUsername());
            insert.setString(7, e.callerTokenKey());
            insert.setString(8, e.callerTokenType());
            insert.setString(9, e.clientAddress());
            insert.setString(10, e.userAgent());
            insert.setString(11, e.action());
            insert.setString(12, e.targetUsername());
            insert.setString(13, e.displayName());
            insert.setString(14, e.scopeText(stored.format()));
            if (e.expires() == null) {
                insert.setNull(15, Types.BIGINT);
            } else {
                insert.setLong(15, e.expires().getEpochSecond());
            }
            insert.setString(16, e.outcome().label());
            insert.setString(17, e.reason());
            insert.setString(18, e.tokenKey());
            insert.setString(19, stored.prevHash());
            insert.setString(20, stored.hash());
            insert.setInt(21, stored.format());
            insert.executeUpdate();
        }
    }

    private List<StoredEvent> query(String sql, List<Object> parameters) {
        try (Connection connection = dataSource.getConnection()) {
            return query(connection, sql, parameters);
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit log", e);
        }
    }

    private static List<StoredEvent> query(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    events.add(read(row));
                }
            }
            return events;
        }
    }

    private static StoredEvent read(ResultSet row) throws SQLException {
        long expires = row.getLong("expires");
        Instant expiry = row.wasNull() ? null : Instant.ofEpochSecond(expires);
        int format = row.getInt("record_format");
        AuditEvent event = new AuditEvent(
                row.getString("id"),
                row.getString("issuance_id"),
                Instant.ofEpochMilli(row.getLong("event_time")),
                row.getString("request_id"),
                row.getString("caller_username"),
                row.getString("caller_token_key"),
                row.getString("caller_token_type"),
                row.getString("client_address"),
                row.getString("user_agent"),
                row.getString("action"),
                row.getString("target_username"),
                row.getString("display_name"),
                ScopeList.decode(format, row.getString("scopes")),
                expiry,
                AuditOutcome.fromLabel(row.getString("outcome")),
                row.getString("reason"),
                row.getString("token_key"));
        return new StoredEvent(row.getLong("seq"), format, event, row.getString("prev_hash"), row.getString("hash"));
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String clause, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            parameters.add(value);
        }
    }
}
