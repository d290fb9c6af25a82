package dev.tokenbroker.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tokenbroker.support.WireMockGafaelfawr;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules that claim or count hold across replicas: two packaged jars on one PostgreSQL race
 * for a bot's claim and for the last places of its quota, and a rotation's delayed
 * revocation survives both replicas stopping.
 */
class ReplicaRacesIT {

    static final String BOB_TOKEN = "gt-wiremock-bob-key-00001.wiremock-bob-secret-01";

    static WireMockServer gafaelfawr;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startGafaelfawr() {
        gafaelfawr = new WireMockServer(options().dynamicPort().globalTemplating(true));
        gafaelfawr.start();
        PackagedUpstream.stub(gafaelfawr);
        gafaelfawr.stubFor(get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + BOB_TOKEN))
                .willReturn(WireMockGafaelfawr.json(200, "{\"token\":\"wiremock-bob-key-00001\",\"username\":\"bob\","
                        + "\"token_type\":\"user\",\"scopes\":[\"write:sasquatch\"],\"created\":1700000000}")));
    }

    @AfterAll
    static void stopGafaelfawr() {
        gafaelfawr.stop();
    }

    static Map<String, String> environment(String activeTokensPerBot) {
        return environment(activeTokensPerBot, gafaelfawr);
    }

    /** What a replica needs: the stand-in Gafaelfawr, the tests' PostgreSQL, short job intervals. */
    static Map<String, String> environment(String activeTokensPerBot, WireMockServer gafaelfawr) {
        Map<String, String> env = PackagedBroker.required(gafaelfawr.baseUrl());
        env.put("BROKER_QUOTA_ACTIVE_TOKENS_PER_BOT", activeTokensPerBot);
        env.put("BROKER_QUOTA_ISSUANCES_PER_CALLER_PER_HOUR", "100000");
        env.put("BROKER_ROTATION_REVOCATION_INTERVAL", "1s");
        return env;
    }

    CompletableFuture<HttpResponse<String>> mint(PackagedBroker replica, String caller, String username) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(replica.url("/service-tokens")))
                .header("Authorization", "bearer " + caller).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"" + username + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Why migrations run at start rather than in a Job (README): two replicas started at once on an
     * empty database both come up, and Flyway applied each version exactly once.
     */
    @Test
    void twoReplicasStartingTogetherMigrateAnEmptyDatabaseOnce() throws Exception {
        String shared = System.getProperty("test.database.jdbc-url");
        String user = System.getProperty("test.database.username");
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(shared, user, "");
                java.sql.Statement sql = db.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS replica_migration");
            sql.execute("CREATE DATABASE replica_migration");
        }
        String fresh = shared.replaceFirst("/[^/?]+(\\?|$)", "/replica_migration$1");
        Map<String, String> env = environment("5");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", fresh);
        try (PackagedBroker first = PackagedBroker.start(env); PackagedBroker second = PackagedBroker.start(env)) {
            first.awaitListening();
            second.awaitListening();
            assertEquals(201, mint(first, WireMockGafaelfawr.CALLER_TOKEN, "bot-migrated-" + System.nanoTime())
                    .get().statusCode());
        }
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(fresh, user, "");
                java.sql.Statement sql = db.createStatement();
                java.sql.ResultSet rows = sql.executeQuery("SELECT version, count(*), bool_and(success)"
                        + " FROM flyway_schema_history WHERE version IS NOT NULL GROUP BY version")) {
            int versions = 0;
            while (rows.next()) {
                versions++;
                assertEquals(1, rows.getInt(2), "version " + rows.getString(1) + " applied once");
                assertTrue(rows.getBoolean(3), "version " + rows.getString(1) + " succeeded");
            }
            assertTrue(versions >= 6, versions + " versions");
        }
    }

    @Test
    void twoCallersClaimingOneNewBotOnTwoReplicasLeaveExactlyOneOwner() throws Exception {
        try (PackagedBroker first = PackagedBroker.start(environment("5"));
                PackagedBroker second = PackagedBroker.start(environment("5"))) {
            first.awaitListening();
            second.awaitListening();
            for (int round = 0; round < 5; round++) {
                String username = "bot-race-" + round + "-" + Long.toString(System.nanoTime(), 36);
                var alice = mint(first, WireMockGafaelfawr.CALLER_TOKEN, username);
                var bob = mint(second, BOB_TOKEN, username);
                int aliceStatus = alice.get(60, TimeUnit.SECONDS).statusCode();
                int bobStatus = bob.get(60, TimeUnit.SECONDS).statusCode();
                assertEquals(List.of(201, 403), List.of(aliceStatus, bobStatus).stream().sorted().toList(),
                        "one claim wins: alice " + aliceStatus + ", bob " + bobStatus);
                String winner = aliceStatus == 201 ? "alice" : "bob";
                given().header("Authorization", "bearer " + PackagedUpstream.AUDITOR_TOKEN)
                        .when().get(second.url("/bots/" + username)).then().statusCode(200)
                        .body("owners.users", contains(winner)).body("claimed_by", equalTo(winner));
            }
        }
    }

    @Test
    void oneIdempotencyKeySentToTwoReplicasAtOnceMintsOnce() throws Exception {
        String username = "bot-idem-race-" + Long.toString(System.nanoTime(), 36);
        gafaelfawr.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/auth/api/v1/tokens"))
                .atPriority(1).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                        "$.username", com.github.tomakehurst.wiremock.client.WireMock.equalTo(username)))
                .willReturn(WireMockGafaelfawr.json(201, "{\"token\": \"gt-idempotent-race-key001.idempotent-secret-0001\"}")
                        .withFixedDelay(1_000)));
        try (PackagedBroker first = PackagedBroker.start(environment("5"));
                PackagedBroker second = PackagedBroker.start(environment("5"))) {
            first.awaitListening();
            second.awaitListening();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (PackagedBroker replica : List.of(first, second)) {
                answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(replica.url("/service-tokens")))
                        .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                        .header("Content-Type", "application/json").header("Idempotency-Key", "nightly-2026-11-28")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"" + username + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS).statusCode());
            }
            assertEquals(List.of(201, 409), statuses.stream().sorted().toList(), "one attempt holds the key");
            assertEquals(1, gafaelfawr.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                    urlEqualTo("/auth/api/v1/tokens")).withRequestBody(
                            com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.username",
                                    com.github.tomakehurst.wiremock.client.WireMock.equalTo(username)))).size());
        }
    }

    @Test
    void aBotsQuotaHoldsWhenTwoReplicasMintAtOnce() throws Exception {
        String username = "bot-quota-race-" + Long.toString(System.nanoTime(), 36);
        try (PackagedBroker first = PackagedBroker.start(environment("3"));
                PackagedBroker second = PackagedBroker.start(environment("3"))) {
            first.awaitListening();
            second.awaitListening();
            // The claim first, so that the race is about the quota alone.
            assertEquals(201, mint(first, WireMockGafaelfawr.CALLER_TOKEN, username).get(60, TimeUnit.SECONDS)
                    .statusCode());
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(mint(i % 2 == 0 ? first : second, WireMockGafaelfawr.CALLER_TOKEN, username));
            }
            Map<Integer, Integer> byStatus = new HashMap<>();
            for (var answer : answers) {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                byStatus.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 429) {
                    assertTrue(response.headers().firstValue("Retry-After").isPresent());
                }
            }
            assertEquals(Map.of(201, 2, 429, 10), byStatus, "3 active tokens at most, one minted before");
        }
    }

    /** Issue 16, item 4, across replicas: concurrent rotations of one token leave one successor. */
    @Test
    void aTokenRotatedOnTwoReplicasAtOnceHasExactlyOneSuccessor() throws Exception {
        String username = "bot-rotate-race-" + Long.toString(System.nanoTime(), 36);
        try (PackagedBroker first = PackagedBroker.start(environment("5"));
                PackagedBroker second = PackagedBroker.start(environment("5"))) {
            first.awaitListening();
            second.awaitListening();
            String old = given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                    .when().post(first.url("/service-tokens")).then().statusCode(201).extract().path("key");
            gafaelfawr.stubFor(get(urlEqualTo("/auth/api/v1/users/" + username + "/tokens"))
                    .willReturn(WireMockGafaelfawr.json(200, "[{\"token\":\"" + old + "\",\"username\":\"" + username
                            + "\",\"token_type\":\"service\",\"scopes\":[\"write:sasquatch\"],\"created\":1700000000}]")));
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                PackagedBroker replica = i % 2 == 0 ? first : second;
                answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(replica.url("/service-tokens/" + old
                                + "/rotate")))
                        .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"grace\": \"PT1H\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Map<Integer, Integer> byStatus = new HashMap<>();
            for (var answer : answers) {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                byStatus.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 409) {
                    assertTrue(response.body().contains("token-already-rotated"), response.body());
                }
            }
            assertEquals(Map.of(201, 1, 409, 7), byStatus, "one rotation wins, across replicas");
            assertEquals(2, gafaelfawr.findAll(postRequestedFor(urlEqualTo("/auth/api/v1/tokens"))
                    .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.username",
                            com.github.tomakehurst.wiremock.client.WireMock.equalTo(username)))).size(),
                    "the mint and exactly one successor reached Gafaelfawr");
        }
    }

    @Test
    void aRotationsDelayedRevocationSurvivesEveryReplicaStopping() throws Exception {
        String username = "bot-grace-" + Long.toString(System.nanoTime(), 36);
        String old;
        try (PackagedBroker replica = PackagedBroker.start(environment("5"))) {
            replica.awaitListening();
            old = given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                    .when().post(replica.url("/service-tokens")).then().statusCode(201).extract().path("key");
            // Gafaelfawr lists it as active, so it may be rotated.
            gafaelfawr.stubFor(get(urlEqualTo("/auth/api/v1/users/" + username + "/tokens"))
                    .willReturn(WireMockGafaelfawr.json(200, "[{\"token\":\"" + old + "\",\"username\":\"" + username
                            + "\",\"token_type\":\"service\",\"scopes\":[\"write:sasquatch\"],\"created\":1700000000}]")));
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .contentType("application/json").body("{\"grace\": \"PT3S\"}")
                    .when().post(replica.url("/service-tokens/" + old + "/rotate")).then().statusCode(201)
                    .body("replaces", equalTo(old));
        }
        String revocation = "/auth/api/v1/users/" + username + "/tokens/" + old;
        assertEquals(0, gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(revocation))).size(),
                "not revoked before its grace ended");
        Thread.sleep(3_500); // the grace ends while no replica runs
        try (PackagedBroker restarted = PackagedBroker.start(environment("5"))) {
            restarted.awaitListening();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(revocation))).isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(1, gafaelfawr.findAll(deleteRequestedFor(urlEqualTo(revocation))).size(),
                    "revoked once, by the restarted replica");
            given().header("Authorization", "bearer " + PackagedUpstream.AUDITOR_TOKEN)
                    .queryParam("username", username).queryParam("outcome", "revoked")
                    .when().get(restarted.url("/audit/events")).then().statusCode(200)
                    .body("[0].token_key", equalTo(old)).body("[0].caller", equalTo("alice"));
        }
    }
}
