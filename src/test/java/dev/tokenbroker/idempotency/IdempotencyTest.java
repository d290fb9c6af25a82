package dev.tokenbroker.idempotency;

import static dev.tokenbroker.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on POST /service-tokens, over HTTP against the emulator. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    EmulatorState emulator;

    @Inject
    AgroalDataSource dataSource;

    static String bot() {
        return "bot-idem-" + Long.toString(System.nanoTime(), 36);
    }

    String person(String username) {
        return EmulatorTokens.person(emulator, username, "write:sasquatch");
    }

    static ValidatableResponse mint(String caller, String key, String body) {
        var request = given().header("Authorization", "bearer " + caller).contentType("application/json").body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post("/service-tokens").then();
    }

    @Test
    void aRetryAfterCompletionRevokesTheFirstTokenAndDeliversANewOne() {
        String alice = person("alice");
        String body = "{\"username\": \"" + bot() + "\"}";
        String first = mint(alice, "build-4711", body).statusCode(201).header("Idempotency-Replaced", nullValue())
                .extract().path("key");
        String second = mint(alice, "build-4711", body).statusCode(201)
                .header("Idempotency-Replaced", equalTo(first)).extract().path("key");
        assertNotEquals(first, second);
        assertFalse(emulator.find(first).isPresent(), "the first token, never received, is revoked");
        assertTrue(emulator.find(second).isPresent());
        String username = body.substring(14, body.length() - 2);
        assertEquals("revoked/alice/" + first, new AuditDatabase(dataSource).latestOfAction(username, "revoke"));
        management().when().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("broker_idempotency_total{result=\"replayed\"}"));
    }

    @Test
    void aRotationRetriedAfterCompletionReplacesItsReplacementNotTheOldTokenAgain() {
        String alice = person("alice");
        String old = mint(alice, null, "{\"username\": \"" + bot() + "\"}").statusCode(201).extract().path("key");
        String first = given().header("Authorization", "bearer " + alice).header("Idempotency-Key", "rotate-1")
                .contentType("application/json").body("{}").when().post("/service-tokens/" + old + "/rotate")
                .then().statusCode(201).header("Idempotency-Replaced", nullValue()).extract().path("key");
        assertFalse(emulator.find(old).isPresent());
        String second = given().header("Authorization", "bearer " + alice).header("Idempotency-Key", "rotate-1")
                .contentType("application/json").body("{}").when().post("/service-tokens/" + old + "/rotate")
                .then().statusCode(201).header("Idempotency-Replaced", equalTo(first))
                .body("replaces", equalTo(old)).extract().path("key");
        assertFalse(emulator.find(first).isPresent(), "the first replacement, never received, is revoked");
        assertTrue(emulator.find(second).isPresent());
        given().header("Authorization", "bearer " + alice).header("Idempotency-Key", "rotate-1")
                .contentType("application/json").body("{\"grace\": \"PT1H\"}")
                .when().post("/service-tokens/" + old + "/rotate").then().statusCode(422)
                .body("errors[0].rule", equalTo("idempotency-key-reused"));
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndMintsNothing() {
        String alice = person("alice");
        String username = bot();
        mint(alice, "deploy-1", "{\"username\": \"" + username + "\"}").statusCode(201);
        long before = emulator.createRequests();
        mint(alice, "deploy-1", "{\"username\": \"" + username + "\", \"name\": \"other\"}").statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("Idempotency-Key"))
                .body("errors[0].rule", equalTo("idempotency-key-reused"));
        assertEquals(before, emulator.createRequests());
    }

    @Test
    void keysBelongToTheirCaller() {
        String alice = person("alice");
        String bob = person("bob");
        String aliceKey = mint(alice, "shared-name", "{\"username\": \"" + bot() + "\"}").statusCode(201)
                .extract().path("key");
        mint(bob, "shared-name", "{\"username\": \"" + bot() + "\"}").statusCode(201)
                .header("Idempotency-Replaced", nullValue());
        assertTrue(emulator.find(aliceKey).isPresent(), "bob's key is not alice's");
    }

    @Test
    void aKeyMustBePrintableAsciiOfAtMost255Characters() {
        String alice = person("alice");
        for (String bad : new String[] {"x".repeat(256), "caf\u00e9"}) {
            long before = emulator.createRequests();
            mint(alice, bad, "{\"username\": \"" + bot() + "\"}").statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("Idempotency-Key"))
                    .body("errors[0].rule", equalTo("idempotency-key-format"));
            assertEquals(before, emulator.createRequests());
        }
        mint(alice, "x".repeat(255), "{\"username\": \"" + bot() + "\"}").statusCode(201);
    }
}
