package dev.tokenbroker.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.tokenbroker.support.WireMockGafaelfawr;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The crash window on the packaged jar: Gafaelfawr has minted, and the broker is killed
 * (SIGKILL) before it could record or deliver the token. After a restart, the reconciler
 * revokes that token and records it compensated; a token that was delivered is never
 * touched; two replicas running the job at once act once.
 */
class CrashWindowIT {

    static final String ORPHAN = "killed-key-00000000001";

    static WireMockServer gafaelfawr;

    @BeforeAll
    static void startGafaelfawr() {
        gafaelfawr = new WireMockServer(options().dynamicPort().globalTemplating(true));
        gafaelfawr.start();
        PackagedUpstream.stub(gafaelfawr);
    }

    @AfterAll
    static void stopGafaelfawr() {
        gafaelfawr.stop();
    }

    static Map<String, String> environment() {
        Map<String, String> env = ReplicaRacesIT.environment("5", gafaelfawr);
        env.put("BROKER_GAFAELFAWR_READ_TIMEOUT", "2s");
        env.put("BROKER_RECONCILE_INTERVAL", "1s");
        env.put("BROKER_RECONCILE_MARGIN", "1s");
        return env;
    }

    @Test
    void aTokenMintedBeforeACrashIsRevokedAfterTheRestartByOneReplica() throws Exception {
        String username = "bot-crash-" + Long.toString(System.nanoTime(), 36);
        String delivered;
        try (PackagedBroker doomed = PackagedBroker.start(environment())) {
            doomed.awaitListening();
            delivered = given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                    .when().post(doomed.url("/service-tokens")).then().statusCode(201).extract().path("key");
            // The next mint for this bot is made by Gafaelfawr, but its answer is slow to come back.
            gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).atPriority(1)
                    .withRequestBody(matchingJsonPath("$.username", WireMock.equalTo(username)))
                    .willReturn(WireMockGafaelfawr.json(201, "{\"token\": \"gt-" + ORPHAN + ".killed-secret-00000001\"}")
                            .withFixedDelay(60_000)));
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(doomed.url("/service-tokens")))
                    .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"" + username + "\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (gafaelfawr.findAll(postRequestedFor(urlEqualTo("/auth/api/v1/tokens"))
                    .withRequestBody(matchingJsonPath("$.username", WireMock.equalTo(username)))).size() < 2) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the second mint never reached Gafaelfawr");
                }
                Thread.sleep(50);
            }
            doomed.kill();
        }
        long now = Instant.now().getEpochSecond();
        gafaelfawr.stubFor(get(urlPathEqualTo("/auth/api/v1/history/token-changes"))
                .withQueryParam("username", WireMock.equalTo(username))
                .willReturn(WireMockGafaelfawr.json(200, "[" + created(delivered, username, now) + ","
                        + created(ORPHAN, username, now) + "]")));
        String revocation = "/auth/api/v1/users/" + username + "/tokens/";
        try (PackagedBroker first = PackagedBroker.start(environment());
                PackagedBroker second = PackagedBroker.start(environment())) {
            first.awaitListening();
            second.awaitListening();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(revocation + ORPHAN))).isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(4_000); // several more runs of the job on both replicas
            assertEquals(1, gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(revocation + ORPHAN))).size(),
                    "revoked once, by one of the two replicas");
            assertEquals(0, gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(revocation + delivered))).size(),
                    "the delivered token is never touched");
            given().header("Authorization", "bearer " + PackagedUpstream.AUDITOR_TOKEN)
                    .queryParam("username", username).queryParam("outcome", "compensated")
                    .when().get(second.url("/audit/events")).then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].token_key", equalTo(ORPHAN));
        }
    }

    static String created(String key, String username, long when) {
        return "{\"token\":\"" + key + "\",\"username\":\"" + username + "\",\"token_type\":\"service\","
                + "\"scopes\":[\"write:sasquatch\"],\"actor\":\"bot-token-broker\",\"action\":\"create\","
                + "\"ip_address\":\"127.0.0.1\",\"event_time\":" + when + "}";
    }
}
