package dev.tokenbroker.audit;

import dev.tokenbroker.support.EmulatorTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rows edited or deleted directly in SQL are found by GET /audit/verify. Each test
 * puts the row back exactly, so the chain verifies again (and a persistent
 * PostgreSQL database stays usable for the next run).
 */
@QuarkusTest
class ChainTamperingTest {

    @ConfigProperty(name = "broker.emulator.demo-token")
    String demoToken;

    @Inject
    EmulatorState emulator;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditStore store;

    AuditDatabase database;
    String auditor;

    @BeforeEach
    void issueSome() {
        database = new AuditDatabase(dataSource);
        auditor = EmulatorTokens.person(emulator, "auditor", "admin:token");
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                    .body("{\"username\": \"bot-tamper\"}").when().post("/service-tokens").then().statusCode(201);
        }
        verify().body("intact", equalTo(true));
    }

    ValidatableResponse verify() {
        return given().header("Authorization", "bearer " + auditor).when().get("/audit/verify").then().statusCode(200);
    }

    /** Sets the row aside, tampers, checks what verify reports, then puts the row back exactly. */
    void tamperAndPutBack(long seq, Runnable tamper, int brokenAt, String problem) {
        database.saveAside(seq);
        tamper.run();
        try {
            verify().body("intact", equalTo(false))
                    .body("broken_at_seq", equalTo(brokenAt))
                    .body("problem", containsString(problem));
        } finally {
            database.execute("DELETE FROM audit_event WHERE seq = ?", seq);
            database.restoreAside();
        }
        verify().body("intact", equalTo(true));
    }

    @Test
    void anEditedRowIsFound() {
        long seq = database.maxSeq() - 2;
        tamperAndPutBack(seq, () -> database.execute(
                "UPDATE audit_event SET target_username = 'bot-innocent' WHERE seq = ?", seq), (int) seq, "altered");
    }

    @Test
    void aRehashedEditIsFoundAtTheNextLink() {
        // An editor who also recomputes the edited row's own hash still breaks the next row's prev_hash.
        long seq = database.maxSeq() - 1;
        StoredEvent original = store.inChainOrder(seq - 1, 1).get(0);
        AuditEvent e = original.event();
        AuditEvent forged = new AuditEvent(e.id(), e.issuanceId(), e.time(), e.requestId(), "bot-innocent-caller",
                e.callerTokenKey(), e.callerTokenType(), e.clientAddress(), e.userAgent(), e.action(),
                e.targetUsername(), e.displayName(), e.scopes(), e.expires(), e.outcome(), e.reason(), e.tokenKey());
        tamperAndPutBack(seq, () -> database.execute("UPDATE audit_event SET caller_username = ?, hash = ? WHERE seq = ?",
                forged.callerUsername(), HashChain.hash(seq, original.prevHash(), forged), seq), (int) seq + 1, "prev_hash");
    }

    @Test
    void aDeletedRowIsFound() {
        long seq = database.maxSeq() - 2;
        tamperAndPutBack(seq, () -> database.execute("DELETE FROM audit_event WHERE seq = ?", seq), (int) seq, "missing");
    }

    @Test
    void aDeletedLastRowIsFound() {
        long seq = database.maxSeq();
        tamperAndPutBack(seq, () -> database.execute("DELETE FROM audit_event WHERE seq = ?", seq), (int) seq, "missing");
    }
}
