package dev.tokenbroker.registry;

import dev.tokenbroker.storage.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Jobs that must run on one replica at a time take a PostgreSQL session advisory lock for
 * their whole run, on a connection of their own outside any transaction (so the server's
 * idle-in-transaction limit never ends it while the job waits on Gafaelfawr). A replica that
 * dies releases it with its connection. H2 (dev mode, one process) needs none.
 */
@ApplicationScoped
public class JobLocks {

    private final AgroalDataSource dataSource;

    @Inject
    public JobLocks(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} if no other replica holds the lock; empty answer when it was skipped. */
    public <T> java.util.Optional<T> alone(long lock, Supplier<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (!Sql.isPostgresql(connection)) {
                return java.util.Optional.ofNullable(work.get());
            }
            if (!call(connection, "SELECT pg_try_advisory_lock(?)", lock)) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.ofNullable(work.get());
            } finally {
                call(connection, "SELECT pg_advisory_unlock(?)", lock);
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot take the job lock (SQL state " + e.getSQLState() + ")", e);
        }
    }

    private static boolean call(Connection connection, String sql, long lock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, lock);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
