package dev.tokenbroker.auth;

import dev.tokenbroker.support.EmulatorTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.tokenbroker.emulator.EmulatedToken;
import dev.tokenbroker.emulator.EmulatorState;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Who may call POST /service-tokens: every kind of credential, verified against the emulator over HTTP. */
@QuarkusTest
class CallerAuthenticationTest {

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.test-port")
    int port;


    /** A bot of its own for every request: callers here differ, and a bot has owners. */
    static String body() {
        return "{\"username\": \"bot-auth-test-" + Long.toString(System.nanoTime(), 36) + "\"}";
    }

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @Inject
    EmulatorState emulator;

    static ValidatableResponse withAuthorization(String header) {
        var request = given().contentType("application/json").body(body());
        if (header != null) {
            request.header("Authorization", header);
        }
        return request.when().post("/service-tokens").then();
    }

    static ValidatableResponse unauthorized(String header) {
        return withAuthorization(header).statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer realm="))
                .body("status", equalTo(401));
    }

    String personToken(List<String> scopes) {
        return EmulatorTokens.person(emulator, "alice", scopes.toArray(String[]::new));
    }

    @Test
    void noCredentials() {
        unauthorized(null).body("detail", containsString("required"));
    }

    @Test
    void malformedHeaders() {
        unauthorized("Bearer").header("WWW-Authenticate", containsString("invalid_request"));
        unauthorized("Basic " + demoToken).header("WWW-Authenticate", containsString("invalid_request"));
        unauthorized("Bearer not-a-token").header("WWW-Authenticate", containsString("invalid_token"));
        unauthorized("Bearer " + demoToken + " extra");
    }

    @Test
    void schemeIsCaseInsensitive() {
        for (String scheme : List.of("bearer", "Bearer", "BEARER")) {
            withAuthorization(scheme + " " + demoToken).statusCode(201).body("requested_by", equalTo("demo-user"));
        }
    }

    @Test
    void unknownToken() {
        unauthorized("Bearer gt-unknownunknownunknown1.unknownunknownunknown1")
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void wrongSecretForAKnownKey() {
        unauthorized("Bearer " + demoToken.substring(0, 26) + "wrongwrongwrongwrongwr");
    }

    @Test
    void expiredToken() {
        long now = emulator.now();
        EmulatedToken expired = new EmulatedToken("expired-token-key-0001", "expired-token-secret01", "alice", "user",
                List.of("write:sasquatch"), now - 3600, now - 60, "old");
        emulator.put(expired);
        unauthorized("Bearer " + expired.value());
    }

    @Test
    void revokedToken() {
        String token = personToken(List.of("write:sasquatch"));
        emulator.revoke(token.substring(3, 25), "alice", "127.0.0.1");
        unauthorized("Bearer " + token);
    }

    @Test
    void serviceTokenCallersAreRefusedByPolicy() {
        String service = EmulatorTokens.token(emulator, "bot-ci", "service", "write:sasquatch");
        withAuthorization("Bearer " + service).statusCode(403)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", nullValue())
                .body("errors.rule", hasItem("service-caller"));
    }

    @Test
    void callersMissingTheScopeAreForbidden() {
        withAuthorization("Bearer " + personToken(List.of("read:tap"))).statusCode(403)
                .body("errors.rule", hasItem("scope-not-held"))
                .body("errors.field", hasItem("scopes"));
    }

    @Test
    void adminCallersDelegateWithoutHoldingTheScope() {
        withAuthorization("Bearer " + personToken(List.of("admin:token"))).statusCode(201)
                .body("scopes", equalTo(List.of("write:sasquatch")))
                .body("requested_by", equalTo("alice"));
    }

    @Test
    void tokensDelegatedByTheIngressActAsTheirUser() {
        String internal = emulator.delegate("carol", "service-token-broker", List.of("write:sasquatch")).value();
        withAuthorization("Bearer " + internal).statusCode(201).body("requested_by", equalTo("carol"));
    }

    @Test
    void tokensDelegatedToAnotherApplicationAreRefused() {
        long before = emulator.createRequests();
        String elsewhere = emulator.delegate("carol", "times-square", List.of("write:sasquatch")).value();
        withAuthorization("Bearer " + elsewhere).statusCode(403).contentType("application/problem+json")
                .body("errors.rule", hasItem("caller-delegated-elsewhere"));
        String nowhere = EmulatorTokens.token(emulator, "carol", "internal", "write:sasquatch");
        withAuthorization("Bearer " + nowhere).statusCode(403)
                .body("errors.rule", hasItem("caller-delegated-elsewhere"));
        org.junit.jupiter.api.Assertions.assertEquals(before, emulator.createRequests(), "nothing reached Gafaelfawr");
    }

    @Test
    void concurrentRequestsWithOneNewTokenShareOneLookup() throws Exception {
        String fresh = EmulatorTokens.person(emulator, "dora", "write:sasquatch");
        String key = fresh.substring(3, 25);
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.util.List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> answers =
                new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/audit/events?limit=1"))
                    .header("Authorization", "Bearer " + fresh).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        for (var answer : answers) {
            org.junit.jupiter.api.Assertions.assertEquals(200, answer.get().statusCode());
        }
        org.junit.jupiter.api.Assertions.assertEquals(1, emulator.tokenInfoRequests(key),
                "16 concurrent requests with one new token, one token-info call");
    }
}
