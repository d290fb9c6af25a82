package dev.tokenbroker.support;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Direct SQL on the audit database, as an attacker or an outage would touch it. Works on H2 and PostgreSQL. */
@jakarta.inject.Singleton
public class AuditDatabase {

    private final AgroalDataSource dataSource;

    @jakarta.inject.Inject
    public AuditDatabase(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void execute(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the first row of any query, as a number (0 when null). */
    public long number(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public long count(String whereClause, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT COUNT(*) FROM audit_event WHERE " + whereClause)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every cell of the audit tables as text: what a database dump would reveal. */
    public String dump() {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : List.of("audit_event", "audit_chain", "audit_unsealed", "audit_chain_head")) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData columns = rows.getMetaData();
                    while (rows.next()) {
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            dump.append(rows.getString(i)).append('|');
                        }
                        dump.append('\n');
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return dump.toString();
    }

    /** How many links the sealed chain has. */
    public long chainLength() {
        return number("SELECT COALESCE(MAX(seq), 0) FROM audit_chain");
    }

    /** Waits until the sealer has linked every appended record into the chain. */
    public void awaitSealed() {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (unsealed() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(unsealed() + " records still unsealed after 15 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public long unsealed() {
        return number("SELECT COUNT(*) FROM audit_unsealed");
    }

    /** The id of the record sealed at chain position {@code seq}. */
    public String eventAt(long seq) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT event_id FROM audit_chain WHERE seq = ?")) {
            statement.setLong(1, seq);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the rows of {@code table} where {@code column = value} aside, so a test may tamper and put them back. */
    public void setAside(String table, String column, Object value) {
        execute("DROP TABLE IF EXISTS " + table + "_aside");
        execute("CREATE TABLE " + table + "_aside AS SELECT * FROM " + table + " WHERE " + column + " = ?", value);
    }

    /** Deletes what tampering left where {@code column = value} and puts the rows set aside back exactly. */
    public void putBack(String table, String column, Object value) {
        execute("DELETE FROM " + table + " WHERE " + column + " = ?", value);
        execute("INSERT INTO " + table + " SELECT * FROM " + table + "_aside");
        execute("DROP TABLE " + table + "_aside");
    }

    private long number(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome and token key of the newest record about this bot user: "outcome/key" ("-" for no key). */
    public String latestOutcome(String username) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT outcome, token_key FROM audit_event"
                        + " WHERE target_username = ? ORDER BY seq DESC LIMIT 1")) {
            statement.setString(1, username);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) + "/" + (row.getString(2) == null ? "-" : row.getString(2)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latest record of an action on a bot, as outcome/caller/token key (- when none). */
    public String latestOfAction(String username, String action) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT outcome, caller_username, token_key"
                        + " FROM audit_event WHERE target_username = ? AND action = ? ORDER BY seq DESC LIMIT 1")) {
            statement.setString(1, username);
            statement.setString(2, action);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) + "/" + row.getString(2) + "/"
                        + (row.getString(3) == null ? "-" : row.getString(3)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> outcomesOfIssuance(String issuanceId) {
        List<String> outcomes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT outcome FROM audit_event WHERE issuance_id = ? ORDER BY seq")) {
            statement.setString(1, issuanceId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    outcomes.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return outcomes;
    }
}
