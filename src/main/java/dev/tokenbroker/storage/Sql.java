package dev.tokenbroker.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** The few JDBC steps every store repeats; no rules of the broker live here. */
public final class Sql {

    private Sql() {
    }

    /** Work on one connection that may throw what JDBC throws. */
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** One statement run for its effect, with positional values; answers the rows it changed. */
    public static int update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, Arrays.asList(values));
            return statement.executeUpdate();
        }
    }

    /** A query answering one number. */
    public static long number(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, Arrays.asList(values));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Whether a query answers any row; with FOR UPDATE, also locks what it found. */
    public static boolean exists(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, Arrays.asList(values));
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    public static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
    }

    /** A unique or primary key already held the value (SQL state 23505 on PostgreSQL and H2). */
    public static boolean isDuplicate(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /**
     * Whether the database could not be reached at all (as opposed to refusing a statement):
     * a connection exception (SQL state class 08) or the pool's acquisition timeout, anywhere
     * in the chain of causes.
     */
    public static boolean isUnreachable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && ((e.getSQLState() != null && e.getSQLState().startsWith("08"))
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT)
                            .contains("acquisition timeout"))) {
                return true;
            }
        }
        return false;
    }

    public static boolean isPostgresql(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }

    /**
     * PostgreSQL: a transaction-scoped advisory lock, taken without waiting, so that one
     * replica acts and the others skip. H2 (dev mode, one process) has none: always true.
     */
    public static boolean tryAdvisoryLock(Connection connection, long lock) throws SQLException {
        if (!isPostgresql(connection)) {
            return true;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            statement.setLong(1, lock);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
