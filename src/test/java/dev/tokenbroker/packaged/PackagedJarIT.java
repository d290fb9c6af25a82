package dev.tokenbroker.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.tokenbroker.support.WireMockGafaelfawr;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged jar in the prod profile: it mints through any server that follows
 * Gafaelfawr's contract given only the two documented variables (and its
 * PostgreSQL database), it has no emulator, and it refuses to start on bad
 * configuration, naming the key. Runs on the tests' PostgreSQL (embedded unless -Ppostgresql).
 */
class PackagedJarIT {

    static WireMockServer gafaelfawr;

    @BeforeAll
    static void startGafaelfawr() {
        gafaelfawr = new WireMockServer(options().dynamicPort());
        gafaelfawr.start();
        WireMockGafaelfawr.stubCaller(gafaelfawr);
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).willReturn(WireMockGafaelfawr.minted()
                .withHeader("Location", "/auth/api/v1/users/bot-packaged/tokens/" + WireMockGafaelfawr.MINTED_KEY)));
    }

    @AfterAll
    static void stopGafaelfawr() {
        gafaelfawr.stop();
    }

    /** The two Gafaelfawr variables, and the audit database that the prod profile always needs. */
    static Map<String, String> required() {
        Map<String, String> env = PackagedBroker.required(gafaelfawr.baseUrl());
        // These tests mint many tokens for one bot; ReplicaRacesIT tests the quotas themselves.
        env.put("BROKER_QUOTA_ISSUANCES_PER_CALLER_PER_HOUR", "100000");
        env.put("BROKER_QUOTA_ACTIVE_TOKENS_PER_BOT", "100000");
        return env;
    }

    @Test
    void mintsWithOnlyTheTwoRequiredVariablesAndHasNoEmulator() throws Exception {
        gafaelfawr.resetRequests();
        try (PackagedBroker broker = PackagedBroker.start(required()).awaitListening()) {
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .header("X-Forwarded-For", "203.0.113.9").header("X-Forwarded-Proto", "https")
                    .contentType("application/json")
                    .body("{\"username\": \"bot-packaged\", \"name\": \"Packaged\", \"token_type\": \"service\","
                            + " \"scopes\": [\"write:sasquatch\"]}")
                    .when().post(broker.url("/service-tokens"))
                    .then().statusCode(201)
                    .body("token", equalTo(WireMockGafaelfawr.MINTED_TOKEN))
                    .body("requested_by", equalTo("alice"))
                    .header("Location", "/service-token-broker/service-tokens/" + WireMockGafaelfawr.MINTED_KEY);
            gafaelfawr.verify(1, postRequestedFor(urlEqualTo("/auth/api/v1/tokens"))
                    .withHeader("Authorization", WireMock.equalToIgnoreCase("bearer " + WireMockGafaelfawr.ADMIN_TOKEN)));

            given().when().get(broker.url("/emulator/auth/api/v1/token-info"))
                    .then().statusCode(404).contentType("application/problem+json");
            given().header("Authorization", "bearer " + WireMockGafaelfawr.ADMIN_TOKEN).contentType("application/json")
                    .body("{}").when().post(broker.url("/emulator/auth/api/v1/tokens"))
                    .then().statusCode(404);
            given().when().get(broker.url("/q/swagger-ui/")).then().statusCode(200);
            // The host is shared by many applications: no caller token kept in localStorage.
            given().when().get(broker.url("/q/swagger-ui/index.html")).then().statusCode(200)
                    .body(not(org.hamcrest.Matchers.matchesPattern("(?s).*persistAuthorization\\W*true.*")));
            // Behind the ingress, a problem's instance is the path the client used, root path included.
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN).contentType("application/json")
                    .body("{\"username\": \"not-a-bot\"}").when().post(broker.url("/service-tokens"))
                    .then().statusCode(422).body("instance", equalTo("/service-token-broker/service-tokens"));
            given().when().get(broker.url("/q/openapi")).then().statusCode(200)
                    .body(containsString("/service-tokens"));

            assertTrue(broker.output().contains("\"prod\"") || broker.output().contains("prod"),
                    "runs in the prod profile:\n" + broker.output());
            assertJsonLogLines(broker.output());
            // The sealer runs every second: its line follows the issuance's shortly.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!broker.output().contains("\"audit-seal\"") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertAuditLines(broker.output(), "bot-packaged", "203.0.113.9");
            assertFalse(broker.output().contains(WireMockGafaelfawr.ADMIN_TOKEN.substring(26)));
            assertFalse(broker.output().contains(WireMockGafaelfawr.MINTED_TOKEN.substring(26)));
        }
    }

    @Test
    void withTheDatabaseConnectionCutNothingIsMinted() throws Exception {
        try (CuttableRelay relay = CuttableRelay.toTestDatabase()) {
            Map<String, String> env = required();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", relay.jdbcUrl());
            try (PackagedBroker broker = PackagedBroker.start(env).awaitListening()) {
                gafaelfawr.resetRequests();
                relay.cut();
                given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                        .contentType("application/json").body("{\"username\": \"bot-cut-off\"}")
                        .when().post(broker.url("/service-tokens"))
                        .then().statusCode(503).contentType("application/problem+json")
                        // the first database the mint meets: the bot registry (ownership), then the audit log
                        .body("type", org.hamcrest.Matchers.anyOf(containsString("registry-unavailable"),
                                containsString("audit-unavailable")));
                gafaelfawr.verify(0, postRequestedFor(urlEqualTo("/auth/api/v1/tokens")));
                // Readiness says so at once: the pool gives up after its acquisition timeout (1 s),
                // well inside the probe's 3 s.
                java.net.http.HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(broker.managementUrl("/q/health/ready")))
                                .timeout(java.time.Duration.ofSeconds(3)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(503, ready.statusCode(), ready.body());
            }
        }
    }

    @Test
    void withTheDatabaseCutWhileGafaelfawrMintsTheTokenIsRevokedAndNothingMoreIsWritten() throws Exception {
        String username = "bot-cut-mid-mint-" + System.nanoTime();
        // Gafaelfawr takes its time over this bot's mint: the database is cut meanwhile.
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).atPriority(1)
                .withRequestBody(WireMock.containing(username))
                .willReturn(WireMockGafaelfawr.minted().withFixedDelay(500)));
        try (CuttableRelay relay = CuttableRelay.toTestDatabase()) {
            Map<String, String> env = required();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", relay.jdbcUrl());
            try (PackagedBroker broker = PackagedBroker.start(env).awaitListening()) {
                gafaelfawr.resetRequests();
                java.util.concurrent.CompletableFuture<io.restassured.response.Response> answer =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> given()
                                .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                                .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                                .when().post(broker.url("/service-tokens")));
                while (gafaelfawr.findAll(postRequestedFor(urlEqualTo("/auth/api/v1/tokens"))).isEmpty()) {
                    assertFalse(answer.isDone(), "the mint reached Gafaelfawr: " + (answer.isDone()
                            ? answer.get().asString() : ""));
                    Thread.sleep(5);
                }
                relay.cut();
                long cut = System.nanoTime();
                io.restassured.response.Response response = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
                System.out.printf("database cut while Gafaelfawr minted: 503 after %d ms (Gafaelfawr's delay"
                        + " 500 ms included)%n", (System.nanoTime() - cut) / 1_000_000);
                response.then().statusCode(503).contentType("application/problem+json")
                        .body("type", containsString("audit-unavailable"))
                        .body("$", not(org.hamcrest.Matchers.hasKey("token")));
                assertFalse(response.asString().contains(WireMockGafaelfawr.MINTED_TOKEN.substring(26)));
                gafaelfawr.verify(1, WireMock.deleteRequestedFor(WireMock.urlPathMatching(
                        "/auth/api/v1/users/" + username + "/tokens/" + WireMockGafaelfawr.MINTED_KEY)));
                assertTrue(broker.output().contains("stays pending until the reconciler"),
                        "no further write was tried: the reconciler settles the issuance");
            }
        }
    }

    @Test
    void twoReplicasOnOneDatabaseKeepOneChain() throws Exception {
        String auditor = "gt-replica-auditor-key-01.replica-auditor-secret";
        gafaelfawr.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", WireMock.equalToIgnoreCase("bearer " + auditor))
                .willReturn(WireMockGafaelfawr.json(200, "{\"token\":\"replica-auditor-key-01\",\"username\":\"auditor\","
                                + "\"token_type\":\"user\",\"scopes\":[\"admin:token\"],\"created\":1700000000}")));
        String username = "bot-replicas-" + System.nanoTime();
        try (PackagedBroker first = PackagedBroker.start(required());
                PackagedBroker second = PackagedBroker.start(required())) {
            first.awaitListening();
            second.awaitListening();
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.util.List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> answers =
                    new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                PackagedBroker replica = i % 2 == 0 ? first : second;
                answers.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(replica.url("/service-tokens")))
                        .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\": \"" + username + "\"}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
            }
            // Verification while both replicas append: each sees one consistent moment of the chain.
            java.util.List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> verifications =
                    new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                verifications.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create((i % 2 == 0 ? first : second).url("/audit/verify")))
                        .header("Authorization", "bearer " + auditor).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()));
                Thread.sleep(20);
            }
            for (var answer : answers) {
                assertEquals(201, answer.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode());
            }
            for (var verification : verifications) {
                java.net.http.HttpResponse<String> report = verification.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, report.statusCode(), report.body());
                assertTrue(report.body().contains("\"intact\":true"), "verified under live traffic: " + report.body());
            }
            given().header("Authorization", "bearer " + auditor).queryParam("username", username)
                    .queryParam("outcome", "issued").queryParam("limit", 500)
                    .when().get(second.url("/audit/events")).then().statusCode(200).body("size()", equalTo(60));
            given().header("Authorization", "bearer " + auditor).when().get(first.url("/audit/verify"))
                    .then().statusCode(200).body("intact", equalTo(true));
        }
    }

    /** Each audit record is a line of its own that is one JSON object, not a string inside a log record. */
    static void assertAuditLines(String output, String username, String clientAddress) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        boolean sawIssued = false;
        boolean sawSeal = false;
        for (String line : output.split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode record = json.readTree(line);
            assertFalse(record.path("message").asText().contains("\"event\":\"audit\""),
                    "an audit record wrapped in a log record: " + line);
            if ("audit".equals(record.path("event").asText()) && username.equals(record.path("username").asText())
                    && "issued".equals(record.path("outcome").asText())) {
                sawIssued = true;
                assertEquals(clientAddress, record.path("client_address").asText(), line);
            }
            sawSeal = sawSeal || ("audit-seal".equals(record.path("event").asText())
                    && record.path("head_hash").asText().length() == 64);
        }
        assertTrue(sawIssued, "an audit line for the issuance:\n" + output);
        assertTrue(sawSeal, "a seal line anchoring the chain's head:\n" + output);
    }

    /** Every line the packaged jar logs is one JSON object; requests carry their fields. */
    static void assertJsonLogLines(String output) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        boolean sawRequest = false;
        for (String line : output.split("\n")) {
            if (line.isBlank() || !line.startsWith("{")) {
                continue; // the startup banner
            }
            com.fasterxml.jackson.databind.JsonNode record = json.readTree(line);
            if ("http.request".equals(record.path("loggerName").asText())) {
                sawRequest = sawRequest || ("201".equals(record.path("mdc").path("status").asText())
                        && "alice".equals(record.path("mdc").path("caller").asText())
                        && !record.path("mdc").path("request_id").asText().isEmpty());
            }
        }
        assertTrue(sawRequest, "a JSON request line with status, caller and request id:\n" + output);
    }

    @Test
    void sigtermLetsAnInFlightIssuanceFinishWithItsAudit() throws Exception {
        String username = "bot-shutdown-" + System.nanoTime();
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens"))
                .withRequestBody(WireMock.containing(username))
                .willReturn(WireMockGafaelfawr.minted().withFixedDelay(3000)));
        try (PackagedBroker broker = PackagedBroker.start(required()).awaitListening()) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> answer = client.sendAsync(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(broker.url("/service-tokens")))
                            .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"username\": \"" + username + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            // Wait until the token POST is in flight at Gafaelfawr, then ask the broker to stop.
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
            while (gafaelfawr.findAll(postRequestedFor(urlEqualTo("/auth/api/v1/tokens"))
                    .withRequestBody(WireMock.containing(username))).isEmpty()) {
                assertTrue(java.time.Instant.now().isBefore(deadline), "the issuance never reached Gafaelfawr");
                Thread.sleep(50);
            }
            broker.terminate();
            java.net.http.HttpResponse<String> response = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(201, response.statusCode(), response.body());
            broker.awaitExit();
            assertTrue(broker.output().contains("stopped"), broker.output());
        }
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(System.getProperty("test.database.jdbc-url"),
                System.getProperty("test.database.username"), "");
                java.sql.PreparedStatement query = db.prepareStatement(
                        "SELECT outcome FROM audit_event WHERE target_username = ? AND action = 'issue' ORDER BY seq")) {
            query.setString(1, username);
            java.util.List<String> outcomes = new java.util.ArrayList<>();
            try (java.sql.ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    outcomes.add(rows.getString(1));
                }
            }
            assertEquals(java.util.List.of("pending", "issued"), outcomes);
        }
    }

    @ParameterizedTest(name = "{0}={1} stops startup naming {2}")
    @CsvSource(delimiter = '|', value = {
        "BROKER_GAFAELFAWR_ADMIN_TOKEN|                                    |broker.gafaelfawr.admin-token",
        "BROKER_GAFAELFAWR_ADMIN_TOKEN|not-a-token-but-a-secret-value      |broker.gafaelfawr.admin-token",
        "BROKER_GAFAELFAWR_URL        |                                    |broker.gafaelfawr.url",
        "BROKER_GAFAELFAWR_URL        |not a url                           |broker.gafaelfawr.url",
        "BROKER_GAFAELFAWR_URL        |ftp://data.lsst.cloud               |broker.gafaelfawr.url",
        "BROKER_GAFAELFAWR_ALLOW_INSECURE|                                 |broker.gafaelfawr.url",
        "BROKER_POLICY_ALLOWED_SCOPES |write:sasquatch,admin:token         |broker.policy.allowed-scopes",
        "BROKER_POLICY_USERNAME_PREFIX|svc-                                |broker.policy.username-prefix",
        "BROKER_POLICY_DEFAULT_LIFETIME|P400D                              |broker.policy.default-lifetime",
        "BROKER_POLICY_DEFAULT_SCOPES |read:tap                            |broker.policy.default-scopes"})
    void badConfigurationStopsStartupNamingTheKey(String variable, String value, String key) throws Exception {
        Map<String, String> env = required();
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value);
        }
        try (PackagedBroker broker = PackagedBroker.start(env)) {
            assertNotEquals(0, broker.awaitExit(), "the broker started:\n" + broker.output());
            assertTrue(broker.output().contains(key), "the message names " + key + ":\n" + broker.output());
            assertFalse(broker.output().contains("not-a-token-but-a-secret-value"), "the bad value is not echoed");
        }
    }

    @ParameterizedTest(name = "issuer url={0} algorithms={1} audience={2} stops startup naming {3}")
    @CsvSource(delimiter = '|', value = {
        "http://issuer.example.org     |RS256      |https://broker.example |broker.federation.issuers.ci.url",
        "https://issuer.example.org    |RS256,HS256|https://broker.example |broker.federation.issuers.ci.algorithms",
        "https://issuer.example.org    |none       |https://broker.example |broker.federation.issuers.ci.algorithms",
        "https://issuer.example.org    |RS256      |                       |broker.federation.issuers.ci.audience"})
    void aTrustedIssuerThatCannotBeTrustedStopsStartup(String url, String algorithms, String audience, String key)
            throws Exception {
        Map<String, String> env = required();
        env.put("BROKER_FEDERATION_ISSUERS_CI_URL", url);
        env.put("BROKER_FEDERATION_ISSUERS_CI_ALGORITHMS", algorithms);
        if (audience != null) {
            env.put("BROKER_FEDERATION_AUDIENCE", audience);
        }
        try (PackagedBroker broker = PackagedBroker.start(env)) {
            assertNotEquals(0, broker.awaitExit(), "the broker started:\n" + broker.output());
            assertTrue(broker.output().contains(key), "the message names " + key + ":\n" + broker.output());
        }
    }

    @Test
    void aWellConfiguredIssuerStarts() throws Exception {
        Map<String, String> env = required();
        env.put("BROKER_FEDERATION_ISSUERS_GITHUB_URL", "https://token.actions.githubusercontent.com");
        env.put("BROKER_FEDERATION_AUDIENCE", "https://data-dev.lsst.cloud/service-token-broker");
        try (PackagedBroker broker = PackagedBroker.start(env).awaitListening()) {
            assertFalse(broker.output().contains("broker.federation"), broker.output());
        }
    }
}
