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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A session that holds the chain head's lock and never ends must not stall issuance for long. */
@QuarkusTest
class StuckTransactionTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EmulatorState emulator;

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @ConfigProperty(name = "quarkus.datasource.db-kind")
    String databaseKind;

    String issue(String username, int status) {
        return given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                .body("{\"username\": \"" + username + "\"}")
                .when().post("/service-tokens")
                .then().statusCode(status).extract().asString();
    }

    @Test
    void aHeldChainHeadLockNoLongerStopsIssuance() throws Exception {
        // Appends take no shared lock: only the sealer waits on the head, and it catches up later.
        try (Connection stuck = dataSource.getConnection()) {
            stuck.setAutoCommit(false);
            try (Statement lock = stuck.createStatement()) {
                lock.executeQuery("SELECT seq FROM audit_chain_head WHERE id = 1 FOR UPDATE").close();
            }
            issue("bot-unstuck-" + System.nanoTime(), 201);
            stuck.rollback();
        }
        new AuditDatabase(dataSource).awaitSealed();
    }

    @Test
    void aRequestBehindAHeldLockAnswers503QuicklyAndMintsNothing() throws Exception {
        // H2, the dev database, has no table lock a session can hold; PostgreSQL is the truth here.
        Assumptions.assumeTrue("postgresql".equals(databaseKind), "PostgreSQL's LOCK TABLE");
        String username = "bot-stuck-" + System.nanoTime();
        AuditDatabase database = new AuditDatabase(dataSource);
        long createsBefore = emulator.createRequests();
        try (Connection stuck = dataSource.getConnection()) {
            stuck.setAutoCommit(false);
            try (Statement lock = stuck.createStatement()) {
                lock.execute("LOCK TABLE audit_event IN EXCLUSIVE MODE");
            }
            long start = System.nanoTime();
            given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                    .body("{\"username\": \"" + username + "\"}")
                    .when().post("/service-tokens")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", containsString("audit-unavailable"));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            // broker.database.lock-timeout (2 s) answers, not the stuck session.
            assertTrue(waited.compareTo(Duration.ofSeconds(10)) < 0, "answered after " + waited);
            stuck.rollback();
        }
        assertEquals(createsBefore, emulator.createRequests(), "nothing reached Gafaelfawr");
        assertEquals(0, database.count("target_username = ?", username), "nothing recorded");
        issue(username, 201);
    }
}
