package dev.tokenbroker.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records and links edited, deleted or slipped in directly in SQL are found by
 * GET /audit/verify. Each test puts the rows back exactly, so the chain verifies
 * again (and a persistent PostgreSQL database stays usable for the next run).
 */
@QuarkusTest
class ChainTamperingTest {

    @ConfigProperty(name = "emulator.demo-token")
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
        database.awaitSealed();
        verify().body("intact", equalTo(true));
    }

    ValidatableResponse verify() {
        return given().header("Authorization", "bearer " + auditor).when().get("/audit/verify").then().statusCode(200);
    }

    void assertBroken(Long brokenAt, String problem) {
        ValidatableResponse report = verify().body("intact", equalTo(false)).body("problem", containsString(problem));
        if (brokenAt != null) {
            report.body("broken_at_seq", equalTo(brokenAt.intValue()));
        }
    }

    /** Rows a test will tamper with, set aside first and put back exactly afterwards. */
    record Row(String table, String column, Object key) {
    }

    void tamperAndPutBack(List<Row> rows, Runnable tamper, Long brokenAt, String problem) {
        rows.forEach(row -> database.setAside(row.table(), row.column(), row.key()));
        tamper.run();
        try {
            assertBroken(brokenAt, problem);
        } finally {
            rows.forEach(row -> database.putBack(row.table(), row.column(), row.key()));
        }
        verify().body("intact", equalTo(true));
    }

    @Test
    void anEditedRecordIsFound() {
        long seq = database.chainLength() - 2;
        String id = database.eventAt(seq);
        tamperAndPutBack(List.of(new Row("audit_event", "id", id)), () -> database.execute(
                "UPDATE audit_event SET target_username = 'bot-innocent' WHERE id = ?", id), seq, "altered");
    }

    @Test
    void aRehashedEditIsFoundAtTheNextLink() {
        // An editor who also recomputes the edited record's own hash still breaks the next link's prev_hash.
        long seq = database.chainLength() - 1;
        String id = database.eventAt(seq);
        AuditStore.SealedRecord original = store.inSnapshot(snapshot -> {
            try {
                return snapshot.chainAfter(seq - 1, 1).get(0);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        AuditEvent e = original.record().event();
        AuditEvent forged = new AuditEvent(e.id(), e.issuanceId(), e.time(), e.requestId(), "bot-innocent-caller",
                e.callerTokenKey(), e.callerTokenType(), e.clientAddress(), e.userAgent(), e.action(),
                e.targetUsername(), e.displayName(), e.scopes(), e.expires(), e.outcome(), e.reason(), e.tokenKey());
        tamperAndPutBack(List.of(new Row("audit_event", "id", id), new Row("audit_chain", "seq", seq)), () -> {
            database.execute("UPDATE audit_event SET caller_username = ? WHERE id = ?", forged.callerUsername(), id);
            database.execute("UPDATE audit_chain SET hash = ? WHERE seq = ?",
                    HashChain.hash(seq, original.link().prevHash(), forged), seq);
        }, seq + 1, "prev_hash");
    }

    @Test
    void aDeletedRecordIsFound() {
        long seq = database.chainLength() - 2;
        String id = database.eventAt(seq);
        tamperAndPutBack(List.of(new Row("audit_event", "id", id)),
                () -> database.execute("DELETE FROM audit_event WHERE id = ?", id), seq, "record is missing");
    }

    @Test
    void aDeletedLastLinkIsFound() {
        long seq = database.chainLength();
        tamperAndPutBack(List.of(new Row("audit_chain", "seq", seq)),
                () -> database.execute("DELETE FROM audit_chain WHERE seq = ?", seq), seq, "missing");
    }

    @Test
    void aRecordSlippedInBehindTheBrokersBackIsFound() {
        String copied = database.eventAt(database.chainLength());
        String forged = "00000000-0000-0000-0000-" + Long.toString(System.nanoTime() % 1_000_000_000_000L, 16)
                .toLowerCase();
        String columns = "issuance_id, event_time, request_id, caller_username, caller_token_key, caller_token_type,"
                + " client_address, user_agent, action, target_username, display_name, scopes, expires, outcome,"
                + " reason, token_key, record_format";
        database.execute("INSERT INTO audit_event (id, " + columns + ") SELECT ?, " + columns
                + " FROM audit_event WHERE id = ?", forged, copied);
        try {
            assertBroken(null, "neither sealed nor queued");
        } finally {
            database.execute("DELETE FROM audit_event WHERE id = ?", forged);
        }
        verify().body("intact", equalTo(true));
    }
}
