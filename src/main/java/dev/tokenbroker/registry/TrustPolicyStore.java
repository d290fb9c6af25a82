package dev.tokenbroker.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.policy.TrustPolicy;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bots' trust policies and the job tokens already exchanged, in the database. A change is
 * written in one transaction with the work given (its audit record); a {@code jti} is claimed
 * by the primary key, so two replicas never both accept one token.
 */
@ApplicationScoped
public class TrustPolicyStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };
    private static final String COLUMNS = "name, issuer, subject, subject_pattern, claims, claim_patterns, scopes,"
            + " max_lifetime";

    private final AgroalDataSource dataSource;

    @Inject
    public TrustPolicyStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A bot's policies by name, in name order: the order an exchange tries them in. */
    public List<TrustPolicy> list(String username) {
        return BotStore.run(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                            + " FROM trust_policy WHERE username = ? ORDER BY name")) {
                select.setString(1, username);
                List<TrustPolicy> policies = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        policies.add(policy(row));
                    }
                }
                return policies;
            }
        });
    }

    public Optional<TrustPolicy> find(String username, String name) {
        return list(username).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Creates or replaces a policy, and runs {@code alsoDone} in the same transaction. */
    public <T> T put(String username, TrustPolicy policy, String by, Instant at, Sql.Work<T> alsoDone) {
        return BotStore.run(() -> Sql.inTransaction(dataSource, connection -> {
            Sql.update(connection, "DELETE FROM trust_policy WHERE username = ? AND name = ?", username, policy.name());
            Sql.update(connection, "INSERT INTO trust_policy (username, " + COLUMNS + ", updated_by, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", username, policy.name(), policy.issuer(),
                    policy.subject(), policy.subjectPattern(), json(policy.claims()), json(policy.claimPatterns()),
                    json(policy.scopes()), policy.maxLifetime().toSeconds(), by, at.toEpochMilli());
            return alsoDone.apply(connection);
        }));
    }

    /** Deletes a policy (with {@code alsoDone} in the same transaction); empty when there was none. */
    public <T> Optional<T> delete(String username, String name, Sql.Work<T> alsoDone) {
        return BotStore.run(() -> Sql.inTransaction(dataSource, connection -> {
            if (Sql.update(connection, "DELETE FROM trust_policy WHERE username = ? AND name = ?", username, name) == 0) {
                return Optional.<T>empty();
            }
            return Optional.of(alsoDone.apply(connection));
        }));
    }

    /**
     * Claims a job token's {@code jti} for its issuer until it expires; false when it was claimed
     * before (a replay). Claims of tokens expired for a day are cleared on the way.
     */
    public boolean claimJti(String issuer, String jti, Instant expires, Instant now) {
        return BotStore.run(() -> {
            // Autocommit, statement by statement: a refused duplicate must not abort anything else.
            try (Connection connection = dataSource.getConnection()) {
                Sql.update(connection, "DELETE FROM federated_jti WHERE expires_at < ?",
                        now.minus(Duration.ofDays(1)).getEpochSecond());
                try {
                    Sql.update(connection, "INSERT INTO federated_jti (issuer, jti, expires_at) VALUES (?, ?, ?)",
                            issuer, jti, expires.getEpochSecond());
                    return true;
                } catch (SQLException e) {
                    if (Sql.isDuplicate(e)) {
                        return false;
                    }
                    throw e;
                }
            }
        });
    }

    private static TrustPolicy policy(ResultSet row) throws SQLException {
        return new TrustPolicy(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                read(row.getString(5), MAP), read(row.getString(6), MAP), read(row.getString(7), LIST),
                Duration.ofSeconds(row.getLong(8)));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored trust policy cannot be read", e);
        }
    }
}
