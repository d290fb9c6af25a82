package dev.tokenbroker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /service-tokens end to end: real HTTP, the real stack, the emulator as Gafaelfawr. */
@QuarkusTest
class ServiceTokenIssuanceTest {

    static final String SEED_BODY = "{\"username\": \"bot-jenkins-metrics\", \"name\": \"Jenkins metrics job\","
            + " \"token_type\": \"service\", \"scopes\": [\"write:sasquatch\"]}";

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @Inject
    EmulatorState emulator;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    ValidatableResponse post(String body) {
        return given().header("Authorization", "bearer " + demoToken).contentType("application/json").body(body)
                .when().post("/service-tokens").then();
    }

    /** Posts a request that must be refused, and proves it minted nothing. */
    ValidatableResponse refused(String username, String body, int status) {
        int before = emulator.tokensOfUser(username);
        ValidatableResponse response = post(body).statusCode(status).contentType("application/problem+json");
        assertEquals(before, emulator.tokensOfUser(username), "a refused request minted a token");
        return response;
    }

    @Test
    void theSeedsCurlBodyMintsATokenGafaelfawrAccepts() {
        ExtractableResponse<Response> response = post(SEED_BODY)
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .contentType("application/json")
                .body("username", equalTo("bot-jenkins-metrics"))
                .body("scopes", equalTo(List.of("write:sasquatch")))
                .body("requested_by", equalTo("demo-user"))
                .body("token", matchesPattern("^gt-[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}$"))
                .extract();
        String token = response.path("token");
        String key = response.path("key");
        assertTrue(token.startsWith("gt-" + key + "."));
        assertEquals("/service-tokens/" + key, response.header("Location"));
        Instant expires = Instant.parse(response.path("expires"));
        long days = Duration.between(Instant.now(), expires).toDays();
        assertTrue(days == 89 || days == 90, "default lifetime is 90 days, got " + days);

        given().header("Authorization", "Bearer " + token)
                .when().get("/emulator/auth/api/v1/token-info")
                .then().statusCode(200)
                .body("token", equalTo(key))
                .body("username", equalTo("bot-jenkins-metrics"))
                .body("token_type", equalTo("service"))
                .body("scopes", equalTo(List.of("write:sasquatch")))
                .body("expires", equalTo((int) expires.getEpochSecond()));
    }

    @Test
    void acceptsExpiryAsIsoOrEpochSeconds() {
        Instant wanted = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        post("{\"username\": \"bot-iso\", \"expires\": \"" + wanted + "\"}")
                .statusCode(201).body("expires", equalTo(wanted.toString()));
        post("{\"username\": \"bot-epoch\", \"expires\": " + wanted.getEpochSecond() + "}")
                .statusCode(201).body("expires", equalTo(wanted.toString()));
        post("{\"username\": \"bot-offset\", \"expires\": \"" + wanted.atOffset(java.time.ZoneOffset.ofHours(2)) + "\"}")
                .statusCode(201).body("expires", equalTo(wanted.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bot-1", "bot-a", "bot-sasquatch-writer"})
    void mintsForValidBotNames(String username) {
        post("{\"username\": \"" + username + "\"}").statusCode(201).body("username", equalTo(username));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bot-", "bot--x", "bot-x-", "Bot-x", "bot_a", "a1", "bot-a\\n",
        "bot-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void refusesInvalidNamesNamingTheField(String username) {
        refused(username, "{\"username\": \"" + username + "\"}", 422)
                .body("type", containsString("policy-violation"))
                .body("errors.field", hasItem("username"));
    }

    @Test
    void refusesPastShortAndOverlongLifetimes() {
        long now = Instant.now().getEpochSecond();
        refused("bot-life", "{\"username\": \"bot-life\", \"expires\": " + (now - 60) + "}", 422)
                .body("errors.rule", hasItem("expires-past"));
        refused("bot-life", "{\"username\": \"bot-life\", \"expires\": " + (now + 240) + "}", 422)
                .body("errors.rule", hasItem("expires-too-soon"));
        refused("bot-life", "{\"username\": \"bot-life\", \"expires\": \"" + Instant.now().plus(Duration.ofDays(400))
                + "\"}", 422).body("errors.rule", hasItem("expires-too-late"));
        refused("bot-life", "{\"username\": \"bot-life\", \"expires\": \"next tuesday\"}", 400)
                .body("errors.field", hasItem("expires"));
    }

    @Test
    void refusesScopesOutsidePolicyAndOverrides() {
        refused("bot-scopes", "{\"username\": \"bot-scopes\", \"scopes\": [\"exec:admin\"]}", 403)
                .body("errors.rule", hasItem("scope-not-allowed"));
        refused("bot-scopes", "{\"username\": \"bot-scopes\", \"scopes\": [\"admin:token\"]}", 403)
                .body("errors.field", hasItem("scopes"));
        refused("bot-scopes", "{\"username\": \"bot-scopes\", \"uid\": 4000, \"groups\": []}", 422)
                .body("errors.rule", hasItem("identity-override"))
                .body("errors.field", hasItem("uid"));
        refused("bot-scopes", "{\"username\": \"bot-scopes\", \"token_type\": \"user\"}", 422)
                .body("errors.field", hasItem("token_type"));
        refused("bot-scopes", "{\"username\": \"bot-scopes\", \"scope\": [\"write:sasquatch\"]}", 422)
                .body("errors.rule", hasItem("unknown-field"));
    }

    @Test
    void malformedRequestsAreProblemsNotErrors() {
        post("{\"username\": ").statusCode(400).contentType("application/problem+json")
                .body("type", containsString("malformed-json"));
        post("[1, 2]").statusCode(400).contentType("application/problem+json");
        post("{\"username\": \"bot-a\", \"scopes\": \"write:sasquatch\"}").statusCode(400)
                .body("errors.field", hasItem("scopes"));
        given().header("Authorization", "bearer " + demoToken).contentType("text/plain").body("bot-a")
                .when().post("/service-tokens").then().statusCode(415).contentType("application/problem+json");
        given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                .when().post("/service-tokens").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void bodiesOverSixteenKibibytesAreRefused() {
        String big = "{\"username\": \"bot-big\", \"name\": \"" + "n".repeat(RequestSizeLimit.MAX_BODY_BYTES) + "\"}";
        refused("bot-big", big, 413).body("status", equalTo(413));
        // Just under the limit is read (and then refused by policy for the name's length, not for its size).
        String under = "{\"username\": \"bot-big\", \"name\": \"" + "n".repeat(16_000) + "\"}";
        refused("bot-big", under, 422).body("errors.rule", hasItem("name-length"));
    }

    @Test
    void bodiesOfUndeclaredLengthAreCappedToo() throws Exception {
        String big = "{\"username\": \"bot-chunked\", \"name\": \"" + "n".repeat(RequestSizeLimit.MAX_BODY_BYTES) + "\"}";
        HttpResponse<String> tooLarge = sendUndeclaredLength(big, HttpClient.Version.HTTP_1_1);
        assertEquals(413, tooLarge.statusCode(), tooLarge.body());
        assertTrue(tooLarge.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(201, sendUndeclaredLength("{\"username\": \"bot-chunked\"}", HttpClient.Version.HTTP_1_1)
                .statusCode());
    }

    @Test
    void http2ClientsAreServed() throws Exception {
        // Java's client asks for an upgrade to HTTP/2 (h2c) on plain HTTP.
        HttpResponse<String> small = sendUndeclaredLength("{\"username\": \"bot-h2\"}", HttpClient.Version.HTTP_2);
        assertEquals(201, small.statusCode(), small.body());
        HttpResponse<String> sized = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/service-tokens"))
                        .header("Authorization", "bearer " + demoToken).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"bot-h2\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, sized.statusCode(), sized.body());
    }

    HttpResponse<String> sendUndeclaredLength(String body, HttpClient.Version version) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/service-tokens"))
                .header("Authorization", "bearer " + demoToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        return HttpClient.newBuilder().version(version).build().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        given().when().get("/no-such-route").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().when().put("/service-tokens").then().statusCode(405).contentType("application/problem+json");
        given().when().delete("/service-tokens").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void anIssuanceLogsTheKeyButNeverTheSecrets() {
        try (LogCapture logs = LogCapture.start()) {
            String token = post("{\"username\": \"bot-logged\"}").statusCode(201).extract().path("token");
            String key = token.substring(3, 25);
            assertFalse(logs.linesContaining(key).isEmpty(), "the issuance is logged by key");
            assertEquals(List.of(), logs.linesContaining(token.substring(26)));
            assertEquals(List.of(), logs.linesContaining(demoToken.substring(26)));
        }
    }

    @Test
    void everyRequestLeavesOneLogLine() {
        try (LogCapture logs = LogCapture.start()) {
            given().header("Authorization", "bearer " + demoToken).header("X-Request-Id", "log-line-test-1")
                    .contentType("application/json").body("{\"username\": \"bot-logline\"}")
                    .when().post("/service-tokens").then().statusCode(201);
            given().header("X-Request-Id", "log-line-test-2").when().get("/nowhere").then().statusCode(404);
            List<String> issued = logs.linesContaining("request_id=log-line-test-1");
            assertEquals(1, issued.stream().filter(l -> l.startsWith("http.request")).count(), issued.toString());
            assertTrue(issued.stream().anyMatch(l -> l.contains("POST /service-tokens 201") && l.contains("caller=demo-user")),
                    issued.toString());
            assertTrue(logs.linesContaining("request_id=log-line-test-2").stream()
                    .anyMatch(l -> l.contains("GET /nowhere 404") && l.contains("caller=-")));
        }
    }

    @Test
    void errorsNeverCarryAStackTrace() {
        post("{\"username\": ").body(not(containsString("at dev.tokenbroker")))
                .body(not(containsString("Exception")));
    }
}
