package dev.tokenbroker.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A session that holds the chain head's lock and never ends must not stall issuance for long. */
@QuarkusTest
class StuckTransactionTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EmulatorState emulator;

    @ConfigProperty(name = "broker.emulator.demo-token")
    String demoToken;

    @Test
    void aRequestBehindAHeldLockAnswers503QuicklyAndMintsNothing() throws Exception {
        String username = "bot-stuck-" + System.nanoTime();
        AuditDatabase database = new AuditDatabase(dataSource);
        long createsBefore = emulator.createRequests();
        try (Connection stuck = dataSource.getConnection()) {
            stuck.setAutoCommit(false);
            try (Statement lock = stuck.createStatement()) {
                lock.executeQuery("SELECT seq FROM audit_chain_head WHERE id = 1 FOR UPDATE").close();
            }
            long start = System.nanoTime();
            given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                    .body("{\"username\": \"" + username + "\"}")
                    .when().post("/service-tokens")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", containsString("audit-unavailable"));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            // PostgreSQL's lock_timeout (2 s) answers; H2, the dev database, waits out its LOCK_TIMEOUT (10 s).
            assertTrue(waited.compareTo(Duration.ofSeconds(15)) < 0, "answered after " + waited);
            stuck.rollback();
        }
        assertEquals(createsBefore, emulator.createRequests(), "nothing reached Gafaelfawr");
        assertEquals(0, database.count("target_username = ?", username), "nothing recorded");
        given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                .body("{\"username\": \"" + username + "\"}")
                .when().post("/service-tokens").then().statusCode(201);
    }
}
