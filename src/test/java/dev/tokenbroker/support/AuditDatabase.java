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
public final class AuditDatabase {

    private final AgroalDataSource dataSource;

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
            for (String table : List.of("audit_event", "audit_chain_head")) {
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

    public long maxSeq() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT MAX(seq) FROM audit_event")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies one record aside, so that a test may delete it and put it back exactly. */
    public void saveAside(long seq) {
        execute("DROP TABLE IF EXISTS audit_event_aside");
        execute("CREATE TABLE audit_event_aside AS SELECT * FROM audit_event WHERE seq = " + seq);
    }

    public void restoreAside() {
        execute("INSERT INTO audit_event SELECT * FROM audit_event_aside");
        execute("DROP TABLE audit_event_aside");
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
