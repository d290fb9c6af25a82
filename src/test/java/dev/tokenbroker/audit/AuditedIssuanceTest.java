package dev.tokenbroker.audit;

import static dev.tokenbroker.support.Management.management;
import dev.tokenbroker.support.EmulatorTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.LogCapture;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit is write-ahead and fail-closed: what reaches the caller is recorded; what cannot be recorded is not delivered. */
@QuarkusTest
class AuditedIssuanceTest {

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @ConfigProperty(name = "emulator.admin-token")
    String adminToken;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    EmulatorState emulator;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    AuditDatabase database;

    @BeforeEach
    void connect() {
        database = new AuditDatabase(dataSource);
    }

    /** A username no other test (or earlier run on a persistent database) has used. */
    static String freshBot(String purpose) {
        return "bot-" + purpose + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    ValidatableResponse issue(String username) {
        return given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                .body("{\"username\": \"" + username + "\", \"name\": \"Audited\"}")
                .when().post("/service-tokens").then();
    }

    @Test
    void aSuccessfulIssuanceLeavesOnePendingAndOneIssuedRecord() {
        String username = freshBot("ok");
        ExtractableResponse<Response> response = issue(username).statusCode(201)
                .body("audit_id", notNullValue()).extract();
        String key = response.path("key");
        String auditId = response.path("audit_id");
        assertEquals(List.of("pending", "issued"), database.outcomesOfIssuance(auditId));
        assertEquals(1, database.count("outcome = 'issued' AND target_username = ?", username));
        assertEquals(1, database.count("outcome = 'issued' AND token_key = ? AND caller_username = 'demo-user'", key));
    }

    @Test
    void aDenialLeavesOneDeniedRecordAndNoUpstreamCall() {
        String username = freshBot("deny");
        int historyBefore = emulator.historySize();
        given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                .body("{\"username\": \"" + username + "\", \"scopes\": [\"read:tap\"]}")
                .when().post("/service-tokens").then().statusCode(403);
        assertEquals(1, database.count("target_username = ?", username));
        assertEquals(1, database.count("target_username = ? AND outcome = 'denied' AND reason LIKE ?", username,
                "%scope-not-allowed%"));
        assertEquals(historyBefore, emulator.historySize(), "Gafaelfawr was not called");
    }

    @Test
    void unauthenticatedRequestsAreCountedNotStored() {
        String username = freshBot("anon");
        given().contentType("application/json").body("{\"username\": \"" + username + "\"}")
                .when().post("/service-tokens").then().statusCode(401);
        assertEquals(0, database.count("target_username = ?", username));
        management().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("broker_requests_unauthenticated_total{reason=\"missing\""));
    }

    @Test
    void requestIdsAreEchoedAndRecorded() {
        String username = freshBot("rid");
        given().header("Authorization", "bearer " + demoToken).header("X-Request-Id", "jenkins-build-4711")
                .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                .when().post("/service-tokens").then().statusCode(201).header("X-Request-Id", "jenkins-build-4711");
        assertEquals(2, database.count("target_username = ? AND request_id = 'jenkins-build-4711' AND action = 'issue'",
                username));
        // Generated when absent or unsafe, and carried by problem documents too.
        given().header("X-Request-Id", "evil\u0000id").when().get("/no-such-route").then().statusCode(404)
                .header("X-Request-Id", not(containsString("evil")))
                .body("request_id", notNullValue());
    }

    @Test
    void withTheAuditStoreDownNothingIsMinted() {
        String username = freshBot("dbdown");
        int historyBefore = emulator.historySize();
        database.execute("ALTER TABLE audit_event RENAME TO audit_event_offline");
        try {
            issue(username).statusCode(503).contentType("application/problem+json")
                    .body("type", containsString("audit-unavailable"))
                    .body("$", not(org.hamcrest.Matchers.hasKey("token")));
        } finally {
            database.execute("ALTER TABLE audit_event_offline RENAME TO audit_event");
        }
        assertEquals(historyBefore, emulator.historySize(), "Gafaelfawr was never called");
        assertEquals(0, emulator.tokensOfUser(username));
    }

    @Test
    void whenCompletionFailsTheMintedTokenIsRevokedAndNotDelivered() {
        String username = freshBot("compensate");
        // The database accepts the intent but refuses the completion of this one issuance.
        database.execute("ALTER TABLE audit_event ADD CONSTRAINT refuse_completion CHECK (NOT (outcome = 'issued'"
                + " AND target_username = '" + username + "'))");
        String body;
        try {
            body = issue(username).statusCode(503).contentType("application/problem+json")
                    .body("type", containsString("audit-unavailable"))
                    .extract().asString();
        } finally {
            database.execute("ALTER TABLE audit_event DROP CONSTRAINT refuse_completion");
        }
        assertFalse(body.contains("gt-"), "no token in the answer: " + body);
        List<String> created = emulator.historyKeys(username, "create");
        assertEquals(1, created.size(), "Gafaelfawr minted once");
        assertEquals(created, emulator.historyKeys(username, "revoke"), "and the same key was revoked");
        assertEquals(0, emulator.tokensOfUser(username));
        assertEquals(1, database.count("target_username = ? AND outcome = 'compensated' AND token_key = ?",
                username, created.get(0)));
    }

    @Test
    void theAuditTablesHoldNoSecret() {
        List<String> secrets = new ArrayList<>(List.of(demoToken.substring(26), adminToken.substring(26)));
        for (int i = 0; i < 3; i++) {
            String token = issue(freshBot("dump")).statusCode(201).extract().path("token");
            secrets.add(token.substring(26));
        }
        String dump = database.dump();
        assertTrue(dump.contains("demo-user"), "the dump is of the audit tables");
        for (String secret : secrets) {
            assertFalse(dump.contains(secret), "the audit tables hold a secret");
        }
    }

    @Test
    void eachRecordIsAlsoOneJsonLogLine() throws Exception {
        String username = freshBot("stream");
        try (LogCapture logs = LogCapture.start()) {
            String key = issue(username).statusCode(201).extract().path("key");
            List<String> lines = logs.linesContaining("\"username\":\"" + username + "\"").stream()
                    .filter(line -> line.contains("\"action\":\"issue\"")).toList();
            assertEquals(2, lines.size(), lines.toString());
            JsonNode issued = json.readTree(lines.get(1).substring(lines.get(1).indexOf('{')));
            assertEquals("audit", issued.path("event").asText());
            assertEquals("issued", issued.path("outcome").asText());
            assertEquals(key, issued.path("token_key").asText());
            assertEquals("demo-user", issued.path("caller").asText());
            assertFalse(issued.path("request_id").asText().isEmpty());
            assertEquals("write:sasquatch", issued.path("scopes").get(0).asText());
        }
    }

    @Test
    void concurrentIssuancesAllRecordAndTheChainVerifies() throws Exception {
        String username = freshBot("load");
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/service-tokens"))
                .header("Authorization", "bearer " + demoToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"" + username + "\"}"))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(pool.submit(() -> client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(201, answer.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(200, database.count("target_username = ? AND outcome = 'issued'", username));
        assertEquals(200, emulator.tokensOfUser(username));
        String auditor = EmulatorTokens.person(emulator, "auditor", "admin:token");
        given().header("Authorization", "bearer " + auditor).when().get("/audit/verify").then().statusCode(200)
                .body("intact", equalTo(true));
    }
}
