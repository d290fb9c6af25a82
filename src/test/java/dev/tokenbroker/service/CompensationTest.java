package dev.tokenbroker.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.InjectWireMock;
import dev.tokenbroker.support.LogCapture;
import dev.tokenbroker.support.WireMockGafaelfawr;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the completion record cannot be written, the minted token is revoked:
 * DELETE is idempotent, so it is retried; if it still fails, the caller gets no
 * secret and the logs name the key to revoke by hand.
 */
@QuarkusTest
@WithTestResource(WireMockGafaelfawr.class)
class CompensationTest {

    static final String REVOKE = "/auth/api/v1/users/%s/tokens/" + WireMockGafaelfawr.MINTED_KEY;

    @InjectWireMock
    WireMockServer gafaelfawr;

    @Inject
    AgroalDataSource dataSource;

    AuditDatabase database;
    String username;

    @BeforeEach
    void setUp() {
        database = new AuditDatabase(dataSource);
        WireMockGafaelfawr.resetToCaller(gafaelfawr);
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).willReturn(WireMockGafaelfawr.minted()));
        username = "bot-compensation-" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** Issues while the database refuses this issuance's completion record. */
    String issueWithCompletionRefused() {
        database.execute("ALTER TABLE audit_event ADD CONSTRAINT refuse_completion CHECK (NOT (outcome = 'issued'"
                + " AND target_username = '" + username + "'))");
        try {
            return given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                    .when().post("/service-tokens")
                    .then().statusCode(503).body("type", containsString("audit-unavailable"))
                    .extract().asString();
        } finally {
            database.execute("ALTER TABLE audit_event DROP CONSTRAINT refuse_completion");
        }
    }

    @Test
    void aFailingRevocationIsRetriedUntilItSucceeds() {
        String revoke = REVOKE.formatted(username);
        gafaelfawr.stubFor(delete(urlEqualTo(revoke)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("second"));
        gafaelfawr.stubFor(delete(urlEqualTo(revoke)).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        gafaelfawr.stubFor(delete(urlEqualTo(revoke)).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(204)));
        String body = issueWithCompletionRefused();
        assertFalse(body.contains(WireMockGafaelfawr.MINTED_TOKEN.substring(26)), "no secret delivered");
        gafaelfawr.verify(3, deleteRequestedFor(urlEqualTo(revoke)));
        assertEquals(1, database.count("target_username = ? AND outcome = 'compensated' AND token_key = ?",
                username, WireMockGafaelfawr.MINTED_KEY));
    }

    @Test
    void anUnrevokableTokenIsReportedForAnOperator() {
        String revoke = REVOKE.formatted(username);
        gafaelfawr.stubFor(delete(urlEqualTo(revoke)).willReturn(aResponse().withStatus(500)));
        try (LogCapture logs = LogCapture.start()) {
            String body = issueWithCompletionRefused();
            assertFalse(body.contains(WireMockGafaelfawr.MINTED_TOKEN.substring(26)), "no secret delivered");
            assertFalse(logs.linesContaining("COULD NOT REVOKE undelivered token key " + WireMockGafaelfawr.MINTED_KEY)
                    .isEmpty(), "an operator is told which key to revoke");
        }
        gafaelfawr.verify(4, deleteRequestedFor(urlEqualTo(revoke)));
        // The intent stays pending: the issuance never completed, and no token was delivered.
        assertEquals(1, database.count("target_username = ? AND outcome = 'pending'", username));
        assertEquals(0, database.count("target_username = ? AND outcome IN ('issued', 'compensated')", username));
    }
}
