package dev.tokenbroker.audit;

import dev.tokenbroker.config.BrokerConfig;
import io.agroal.api.AgroalPoolInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Bounds how long any of the broker's PostgreSQL sessions may wait or idle, so
 * that one stuck transaction (a lock held from psql, a hung replica) turns into a
 * quick 503 on the requests behind it instead of stalling every replica.
 * Set on each new pooled connection, whatever the JDBC URL says.
 */
@ApplicationScoped
public class SessionTimeouts implements AgroalPoolInterceptor {

    private final BrokerConfig.Database settings;

    @Inject
    public SessionTimeouts(BrokerConfig config) {
        this.settings = config.database();
    }

    @Override
    public void onConnectionCreate(Connection connection) {
        try {
            if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            try (Statement set = connection.createStatement()) {
                set.execute("SET lock_timeout = " + millis(settings.lockTimeout()));
                set.execute("SET statement_timeout = " + millis(settings.statementTimeout()));
                set.execute("SET idle_in_transaction_session_timeout = " + millis(settings.idleInTransactionTimeout()));
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new AuditStoreException("cannot set the session timeouts of a database connection", e);
        }
    }

    private static long millis(Duration duration) {
        return duration.toMillis();
    }
}
