package dev.tokenbroker.audit;

import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.storage.Sql;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The audit log in the database, over plain JDBC. An append is a plain committed
 * insert (the record, and its place in the sealing queue) that takes no shared
 * lock, so appends of every replica run in parallel. {@link #sealPending} links
 * queued records into the hash chain in batches, one sealer at a time.
 */
@ApplicationScoped
public class AuditStore {

    /** Any constant shared by every replica: the PostgreSQL advisory lock that one sealer holds at a time. */
    private static final long SEALER_LOCK = 0x5e41_0f_a0d17L;

    private static final String EVENT_COLUMNS = "e.seq, e.id, e.issuance_id, e.event_time, e.request_id,"
            + " e.caller_username, e.caller_token_key, e.caller_token_type, e.client_address, e.user_agent, e.action,"
            + " e.target_username, e.display_name, e.scopes, e.expires, e.outcome, e.reason, e.token_key,"
            + " e.record_format";
    private static final String WITH_LINKS = "SELECT " + EVENT_COLUMNS
            + ", c.seq AS chain_seq, c.prev_hash, c.hash FROM audit_event e LEFT JOIN audit_chain c ON c.event_id = e.id";

    private final AgroalDataSource dataSource;
    private final AuditLogStream stream;
    private final BrokerMetrics metrics;
    private final Clock clock;

    @Inject
    public AuditStore(AgroalDataSource dataSource, AuditLogStream stream, BrokerMetrics metrics, Clock clock) {
        this.dataSource = dataSource;
        this.stream = stream;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Durably appends the record (committed on return), queues it for sealing and writes its log line. */
    public StoredEvent append(AuditEvent event) {
        Appended appended;
        Timer.Sample attempt = Timer.start(metrics.registry());
        try {
            appended = Sql.inTransaction(dataSource, appendStep(event));
        } catch (SQLException e) {
            attempt.stop(metrics.auditAppend(false));
            throw new AuditStoreException("cannot write the audit log (" + e.getClass().getSimpleName() + ", SQL state "
                    + e.getSQLState() + ")", e);
        }
        published(appended);
        return appended.stored();
    }

    /**
     * The append as one step of another store's transaction (an issuance's reservation or
     * completion): the record commits, or not, with it. Once that transaction committed,
     * {@link #published} writes its log line.
     */
    public Sql.Work<Appended> appendStep(AuditEvent event) {
        return connection -> {
            Timer.Sample sample = Timer.start(metrics.registry());
            StoredEvent inserted = new StoredEvent(insert(connection, event), HashChain.FORMAT, event, null);
            Sql.update(connection, "INSERT INTO audit_unsealed (entry, event_id) VALUES (?, ?)", inserted.seq(),
                    event.id());
            return new Appended(inserted, sample);
        };
    }

    /** A record written in a transaction not yet committed, timed from its insert to its commit. */
    public record Appended(StoredEvent stored, Timer.Sample sample) {
    }

    /** A record appended as a step of a transaction that has now committed: timed, and its log line. */
    public void published(Appended appended) {
        appended.sample().stop(metrics.auditAppend(true));
        stream.write(appended.stored());
    }

    /**
     * Links up to {@code batch} queued records into the chain, in the order they
     * were appended, in one transaction. Returns how many, 0 when another replica
     * is sealing right now (it holds the lock) or nothing is queued.
     */
    public int sealPending(int batch) {
        List<StoredEvent> sealed = new ArrayList<>();
        ChainHead head;
        try {
            head = Sql.inTransaction(dataSource, connection -> {
                if (!Sql.tryAdvisoryLock(connection, SEALER_LOCK)) {
                    return null;
                }
                ChainHead last = readHead(connection, "SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
                List<StoredEvent> queued = query(connection, "SELECT " + EVENT_COLUMNS
                        + ", NULL AS chain_seq, NULL AS prev_hash, NULL AS hash FROM audit_unsealed u"
                        + " JOIN audit_event e ON e.id = u.event_id ORDER BY u.entry LIMIT " + batch, List.of());
                long sealedAt = clock.millis();
                for (StoredEvent record : queued) {
                    long seq = last.seq() + 1;
                    ChainLink link = new ChainLink(seq, last.hash(), HashChain.hash(record, seq, last.hash()));
                    Sql.update(connection, "INSERT INTO audit_chain (seq, event_id, prev_hash, hash, sealed_at)"
                            + " VALUES (?, ?, ?, ?, ?)", link.seq(), record.event().id(), link.prevHash(), link.hash(),
                            sealedAt);
                    Sql.update(connection, "DELETE FROM audit_unsealed WHERE entry = ?", record.seq());
                    last = new ChainHead(link.seq(), link.hash());
                    sealed.add(record.sealedAs(link));
                }
                if (!sealed.isEmpty()) {
                    Sql.update(connection, "UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1", last.seq(),
                            last.hash());
                }
                return last;
            });
        } catch (SQLException e) {
            throw new AuditStoreException("cannot seal the audit log (SQL state " + e.getSQLState() + ")", e);
        }
        if (head != null && !sealed.isEmpty()) {
            stream.sealed(sealed, head);
        }
        return sealed.size();
    }

    /** Records matching the filter, newest first, with seq below {@code beforeSeq} when given. */
    public List<StoredEvent> find(AuditFilter filter, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder(WITH_LINKS + " WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        condition(sql, parameters, "e.caller_username = ?", filter.callerUsername());
        condition(sql, parameters, "e.target_username = ?", filter.targetUsername());
        condition(sql, parameters, "e.outcome = ?", filter.outcome() == null ? null : filter.outcome().label());
        condition(sql, parameters, "e.token_key = ?", filter.tokenKey());
        condition(sql, parameters, "e.event_time >= ?", filter.since() == null ? null : filter.since().toEpochMilli());
        condition(sql, parameters, "e.event_time <= ?", filter.until() == null ? null : filter.until().toEpochMilli());
        condition(sql, parameters, "e.seq < ?", beforeSeq);
        sql.append(" ORDER BY e.seq DESC LIMIT ").append(limit);
        try (Connection connection = dataSource.getConnection()) {
            return query(connection, sql.toString(), parameters);
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit log", e);
        }
    }

    /** The latest record of one issuance attempt, if any was written. */
    public Optional<StoredEvent> latestOfIssuance(String issuanceId) {
        try (Connection connection = dataSource.getConnection()) {
            return query(connection, WITH_LINKS + " WHERE e.issuance_id = ? ORDER BY e.seq DESC LIMIT 1",
                    List.of(issuanceId)).stream().findFirst();
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit log", e);
        }
    }

    /** Reads of the log that all see one moment: appends and seals committed meanwhile are invisible to them. */
    public interface Snapshot {
        ChainHead head() throws SQLException;

        /** Chain links after {@code afterSeq} in chain order, each with its record (null when the record is gone). */
        List<SealedRecord> chainAfter(long afterSeq, int limit) throws SQLException;

        /** The entry of a record neither in the chain nor queued for it (put there behind the broker's back). */
        Long firstUnaccountedRecord() throws SQLException;

        /** How many queued records were appended before {@code cutoff}. */
        long unsealedSince(Instant cutoff) throws SQLException;

        long unsealed() throws SQLException;
    }

    /** A link of the chain and the record it seals, or null for the record when it has been deleted. */
    public record SealedRecord(ChainLink link, String eventId, StoredEvent record) {
    }

    /** Runs {@code reading} in one read-only, repeatable-read transaction. */
    public <T> T inSnapshot(Function<Snapshot, T> reading) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return reading.apply(snapshotOf(connection));
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

    private static Snapshot snapshotOf(Connection connection) {
        return new Snapshot() {
            @Override
            public ChainHead head() throws SQLException {
                return readHead(connection, "SELECT seq, hash FROM audit_chain_head WHERE id = 1");
            }

            @Override
            public List<SealedRecord> chainAfter(long afterSeq, int limit) throws SQLException {
                List<SealedRecord> links = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT " + EVENT_COLUMNS
                        + ", c.seq AS chain_seq, c.prev_hash, c.hash, c.event_id AS linked_id FROM audit_chain c"
                        + " LEFT JOIN audit_event e ON e.id = c.event_id WHERE c.seq > ? ORDER BY c.seq LIMIT " + limit)) {
                    select.setLong(1, afterSeq);
                    try (ResultSet row = select.executeQuery()) {
                        while (row.next()) {
                            ChainLink link = new ChainLink(row.getLong("chain_seq"), row.getString("prev_hash"),
                                    row.getString("hash"));
                            StoredEvent record = row.getString("id") == null ? null : read(row);
                            links.add(new SealedRecord(link, row.getString("linked_id"), record));
                        }
                    }
                }
                return links;
            }

            @Override
            public Long firstUnaccountedRecord() throws SQLException {
                try (PreparedStatement select = connection.prepareStatement("SELECT MIN(e.seq) FROM audit_event e"
                        + " WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM audit_unsealed u WHERE u.event_id = e.id)");
                        ResultSet row = select.executeQuery()) {
                    row.next();
                    long entry = row.getLong(1);
                    return row.wasNull() ? null : entry;
                }
            }

            @Override
            public long unsealedSince(Instant cutoff) throws SQLException {
                return Sql.number(connection, "SELECT COUNT(*) FROM audit_unsealed u"
                        + " JOIN audit_event e ON e.id = u.event_id WHERE e.event_time < ?", cutoff.toEpochMilli());
            }

            @Override
            public long unsealed() throws SQLException {
                return Sql.number(connection, "SELECT COUNT(*) FROM audit_unsealed");
            }
        };
    }

    private static ChainHead readHead(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("the audit chain head row is missing");
            }
            return new ChainHead(row.getLong(1), row.getString(2));
        }
    }

    /** Inserts the record and answers its entry number, drawn from the database's sequence. */
    private static long insert(Connection connection, AuditEvent e) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_event (id, issuance_id,"
                + " event_time, request_id, caller_username, caller_token_key, caller_token_type, client_address,"
                + " user_agent, action, target_username, display_name, scopes, expires, outcome, reason, token_key,"
                + " record_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"seq"})) {
            insert.setString(1, e.id());
            insert.setString(2, e.issuanceId());
            insert.setLong(3, e.time().toEpochMilli());
            insert.setString(4, e.requestId());
            insert.setString(5, e.callerUsername());
            insert.setString(6, e.callerTokenKey());
            insert.setString(7, e.callerTokenType());
            insert.setString(8, e.clientAddress());
            insert.setString(9, e.userAgent());
            insert.setString(10, e.action());
            insert.setString(11, e.targetUsername());
            insert.setString(12, e.displayName());
            insert.setString(13, e.scopeText(HashChain.FORMAT));
            if (e.expires() == null) {
                insert.setNull(14, Types.BIGINT);
            } else {
                insert.setLong(14, e.expires().getEpochSecond());
            }
            insert.setString(15, e.outcome().label());
            insert.setString(16, e.reason());
            insert.setString(17, e.tokenKey());
            insert.setInt(18, HashChain.FORMAT);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database gave the record no entry number");
                }
                return keys.getLong(1);
            }
        }
    }

    private static List<StoredEvent> query(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            Sql.bind(select, parameters);
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
        long chainSeq = row.getLong("chain_seq");
        ChainLink link = row.wasNull() ? null : new ChainLink(chainSeq, row.getString("prev_hash"), row.getString("hash"));
        return new StoredEvent(row.getLong("seq"), format, event, link);
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String clause, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            parameters.add(value);
        }
    }
}
