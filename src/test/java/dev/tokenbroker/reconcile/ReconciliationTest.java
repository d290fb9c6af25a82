package dev.tokenbroker.reconcile;

import static dev.tokenbroker.support.Management.management;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.tokenbroker.registry.BotStore;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.InjectWireMock;
import dev.tokenbroker.support.WireMockGafaelfawr;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An issuance whose answer timed out (outcome unknown) is resolved without a restart: the
 * reconciler asks Gafaelfawr's history, revokes what the broker minted but never delivered,
 * and leaves delivered tokens and other actors' tokens alone.
 */
@QuarkusTest
@WithTestResource(WireMockGafaelfawr.class)
class ReconciliationTest {

    static final String DELIVERED = "delivered-key-00000001";
    static final String ORPHAN = "timedout-key-000000001";
    static final String SOMEONE_ELSES = "elsewhere-key-00000001";

    @InjectWireMock
    WireMockServer gafaelfawr;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BotStore bots;

    String username;

    @BeforeEach
    void setUp() {
        WireMockGafaelfawr.resetToCaller(gafaelfawr);
        gafaelfawr.stubFor(get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + WireMockGafaelfawr.ADMIN_TOKEN))
                .willReturn(WireMockGafaelfawr.json(200, "{\"token\":\"wiremock-admin-key-001\","
                        + "\"username\":\"bot-service-token-broker\",\"token_type\":\"service\",\"scopes\":[\"admin:token\"],"
                        + "\"created\":1700000000}")));
        gafaelfawr.stubFor(WireMock.delete(urlPathMatching("/auth/api/v1/users/.*/tokens/.*"))
                .willReturn(WireMock.aResponse().withStatus(204)));
        username = "bot-reconcile-" + Long.toString(System.nanoTime(), 36);
        bots.claim(username, "alice", Instant.now());
    }

    void mintAnswers(String key, int delayMillis) {
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).willReturn(WireMockGafaelfawr.json(201,
                "{\"token\": \"gt-" + key + ".reconciled-secret-0001\"}").withFixedDelay(delayMillis)));
    }

    int mint() {
        return given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                .when().post("/service-tokens").then().extract().statusCode();
    }

    /**
     * Gafaelfawr's history of the bot: creates of these keys by these actors, each with the expiry
     * the broker sent for it (a delivered key's from its row, any other key the latest reservation's),
     * as Gafaelfawr repeats it.
     */
    void historyShows(String... createdKeysAndActors) {
        StringBuilder entries = new StringBuilder("[");
        long now = Instant.now().getEpochSecond();
        AuditDatabase database = new AuditDatabase(dataSource);
        long latest = database.number("SELECT expires FROM service_token WHERE username = ?"
                + " ORDER BY reserved_at DESC LIMIT 1", username);
        for (int i = 0; i < createdKeysAndActors.length; i += 2) {
            long own = database.number("SELECT expires FROM service_token WHERE token_key = ?",
                    createdKeysAndActors[i]);
            entries.append(i == 0 ? "" : ",").append("{\"token\":\"").append(createdKeysAndActors[i])
                    .append("\",\"username\":\"").append(username).append("\",\"token_type\":\"service\",")
                    .append("\"expires\":").append(own != 0 ? own : latest).append(",")
                    .append("\"scopes\":[\"write:sasquatch\"],\"actor\":\"").append(createdKeysAndActors[i + 1])
                    .append("\",\"action\":\"create\",\"ip_address\":\"127.0.0.1\",\"event_time\":").append(now)
                    .append("}");
        }
        gafaelfawr.stubFor(get(urlPathEqualTo("/auth/api/v1/history/token-changes"))
                .withQueryParam("username", equalTo(username))
                .willReturn(WireMockGafaelfawr.json(200, entries.append("]").toString())));
    }

    String latestOutcome() {
        return new AuditDatabase(dataSource).latestOutcome(username);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(200);
        }
    }

    int deletes(String key) {
        return gafaelfawr.findAll(deleteRequestedFor(urlEqualTo("/auth/api/v1/users/" + username + "/tokens/" + key)))
                .size();
    }

    @Test
    void aTimedOutIssuanceIsRevokedAndRecordedCompensatedWithoutARestart() throws Exception {
        mintAnswers(DELIVERED, 0);
        assertEquals(201, mint());
        mintAnswers(ORPHAN, 1_500); // beyond the 1 s read timeout: minted, but the answer is lost
        assertEquals(504, mint());
        assertEquals("unknown/-", latestOutcome());
        historyShows(DELIVERED, "bot-service-token-broker", ORPHAN, "bot-service-token-broker", SOMEONE_ELSES, "an-admin");
        await(() -> deletes(ORPHAN) == 1, "the undelivered token revoked");
        await(() -> ("compensated/" + ORPHAN).equals(latestOutcome()), "recorded compensated with its key");
        assertEquals(0, deletes(DELIVERED), "a delivered token is never touched");
        assertEquals(0, deletes(SOMEONE_ELSES), "tokens the broker did not create are not its business");
        management().when().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("broker_reconciliations_total{decision=\"compensated\"}"));
    }

    @Test
    void aTimedOutIssuanceThatMintedNothingIsRecordedFailed() throws Exception {
        mintAnswers(ORPHAN, 1_500);
        assertEquals(504, mint());
        historyShows();
        await(() -> "failed/-".equals(latestOutcome()), "recorded failed");
        assertEquals(0, deletes(ORPHAN));
    }

    @Test
    void whileGafaelfawrCannotBeAskedNothingIsDecided() throws Exception {
        mintAnswers(ORPHAN, 1_500);
        assertEquals(504, mint());
        gafaelfawr.stubFor(get(urlPathEqualTo("/auth/api/v1/history/token-changes"))
                .withQueryParam("username", equalTo(username)).willReturn(WireMock.aResponse().withStatus(503)));
        Thread.sleep(6_000); // two reconcile runs past the settling time
        assertEquals("unknown/-", latestOutcome());
        historyShows(ORPHAN, "bot-service-token-broker");
        await(() -> ("compensated/" + ORPHAN).equals(latestOutcome()), "decided once Gafaelfawr answers");
    }
}
