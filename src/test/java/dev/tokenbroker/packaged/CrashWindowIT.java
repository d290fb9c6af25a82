package dev.tokenbroker.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.tokenbroker.support.WireMockGafaelfawr;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash window on the packaged jar: Gafaelfawr has minted, and the broker is killed
 * (SIGKILL) before it could record or deliver the token. After a restart, the reconciler
 * revokes that token and records it compensated; a token that was delivered is never
 * touched; two replicas running the job at once act once.
 */
class CrashWindowIT {

    static final String ORPHAN = "killed-key-00000000001";

    @RegisterExtension
    static final StandInGafaelfawr gafaelfawr = new StandInGafaelfawr();

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
        // Both mints ask for the same expiry, as Gafaelfawr's history will repeat it.
        long expires = Instant.now().plus(Duration.ofDays(30)).getEpochSecond();
        String body = "{\"username\": \"" + username + "\", \"expires\": " + expires + "}";
        String delivered;
        try (PackagedBroker doomed = PackagedBroker.start(environment())) {
            doomed.awaitListening();
            delivered = given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .contentType("application/json").body(body)
                    .when().post(doomed.url("/service-tokens")).then().statusCode(201).extract().path("key");
            // The next mint for this bot is made by Gafaelfawr, but its answer is slow to come back.
            gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).atPriority(1)
                    .withRequestBody(matchingJsonPath("$.username", WireMock.equalTo(username)))
                    .willReturn(WireMockGafaelfawr.json(201, "{\"token\": \"gt-" + ORPHAN + ".killed-secret-00000001\"}")
                            .withFixedDelay(60_000)));
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(doomed.url("/service-tokens")))
                    .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
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
                .willReturn(WireMockGafaelfawr.json(200, "[" + created(delivered, username, now, expires) + ","
                        + created(ORPHAN, username, now, expires) + "]")));
        String revocation = "/auth/api/v1/users/" + username + "/tokens/";
        try (PackagedBroker first = PackagedBroker.start(environment());
                PackagedBroker second = PackagedBroker.start(environment())) {
            first.awaitListening();
            second.awaitListening();
            awaitRevocation(revocation + ORPHAN, Duration.ofSeconds(30));
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

    /** Waits (at most {@code limit}) until the stand-in saw a DELETE of this path; the caller asserts after. */
    static void awaitRevocation(String path, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(path))).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** A history entry of a create by the broker, with the expiry the broker sent, as Gafaelfawr keeps it. */
    static String created(String key, String username, long when, long expires) {
        return "{\"token\":\"" + key + "\",\"username\":\"" + username + "\",\"token_type\":\"service\","
                + "\"scopes\":[\"write:sasquatch\"],\"expires\":" + expires + ",\"actor\":\"bot-service-token-broker\","
                + "\"action\":\"create\",\"ip_address\":\"127.0.0.1\",\"event_time\":" + when + "}";
    }

    static final String FIRST = "first-mint-key-0000001";
    static final String SECOND = "second-mint-key-000001";

    /**
     * Issue 16, item 12, against the packaged jar: mint A times out after Gafaelfawr minted; mint B
     * of the same bot and expiry is minted at once but its answer is held while the reconciler
     * resolves A. The reconciler must wait for B, then revoke A's token only: B's token, delivered,
     * stays live, and the audit credits each token to its own issuance.
     */
    @Test
    void theReconcilerNeverRevokesAConcurrentMintsToken() throws Exception {
        String username = "bot-twins-" + Long.toString(System.nanoTime(), 36);
        long expires = Instant.now().plus(Duration.ofDays(30)).getEpochSecond();
        String history = "/auth/api/v1/history/token-changes";
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.name", WireMock.equalTo("first")))
                .willReturn(WireMockGafaelfawr.json(201, "{\"token\": \"gt-" + FIRST + ".first-secret-000000001\"}")
                        .withFixedDelay(5_000))); // beyond the 4 s read timeout: A's answer is lost
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.name", WireMock.equalTo("second")))
                .willReturn(WireMockGafaelfawr.json(201, "{\"token\": \"gt-" + SECOND + ".second-secret-00000001\"}")
                        .withFixedDelay(3_500))); // held, but delivered within the timeout
        long now = Instant.now().getEpochSecond();
        // A settles 1 s after its 4 s timeout; B is held 2.5 s past that: the job (every second) runs meanwhile.
        Map<String, String> env = environment();
        env.put("BROKER_GAFAELFAWR_READ_TIMEOUT", "4s");
        try (PackagedBroker broker = PackagedBroker.start(env)) {
            broker.awaitListening();
            String first = "{\"username\": \"" + username + "\", \"name\": \"first\", \"expires\": " + expires + "}";
            String second = first.replace("\"first\"", "\"second\"");
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN).contentType("application/json")
                    .body(first).when().post(broker.url("/service-tokens")).then().statusCode(504);
            // Gafaelfawr made A's token (its answer was lost): its history shows the create.
            gafaelfawr.stubFor(get(urlPathEqualTo(history)).withQueryParam("username", WireMock.equalTo(username))
                    .willReturn(WireMockGafaelfawr.json(200, "[" + created(FIRST, username, now, expires) + "]")));
            var answer = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                            URI.create(broker.url("/service-tokens")))
                    .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(second)).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gafaelfawr.findAll(postRequestedFor(urlEqualTo("/auth/api/v1/tokens"))
                    .withRequestBody(matchingJsonPath("$.name", WireMock.equalTo("second")))).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("mint B never reached Gafaelfawr");
                }
                Thread.sleep(20);
            }
            // Gafaelfawr has now made B's token too: its history shows both creates, alike but for the key.
            gafaelfawr.stubFor(get(urlPathEqualTo(history)).withQueryParam("username", WireMock.equalTo(username))
                    .willReturn(WireMockGafaelfawr.json(200, "[" + created(SECOND, username, now, expires) + ","
                            + created(FIRST, username, now, expires) + "]")));
            assertEquals(201, answer.get().statusCode(), answer.get().body());
            String revocation = "/auth/api/v1/users/" + username + "/tokens/";
            awaitRevocation(revocation + FIRST, Duration.ofSeconds(20));
            Thread.sleep(3_000); // more runs of the job
            assertEquals(1, gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(revocation + FIRST))).size(),
                    "A's undelivered token revoked");
            assertEquals(0, gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(revocation + SECOND))).size(),
                    "B's delivered token is never revoked by the broker's bookkeeping");
            given().header("Authorization", "bearer " + PackagedUpstream.AUDITOR_TOKEN)
                    .queryParam("username", username).queryParam("outcome", "compensated")
                    .when().get(broker.url("/audit/events")).then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].token_key", equalTo(FIRST))
                    .body("[0].name", equalTo("first"));
        }
    }
}
