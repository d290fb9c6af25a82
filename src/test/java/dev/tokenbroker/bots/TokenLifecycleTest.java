package dev.tokenbroker.bots;

import static dev.tokenbroker.support.Management.management;
import static dev.tokenbroker.bots.BotOwnershipTest.bot;
import static dev.tokenbroker.bots.BotOwnershipTest.mint;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Listing with state, revocation and rotation of minted tokens, over HTTP against the emulator. */
@QuarkusTest
class TokenLifecycleTest {

    @Inject
    EmulatorState emulator;

    @Inject
    AuditDatabase audit;

    String person(String username) {
        return EmulatorTokens.person(emulator, username, "write:sasquatch");
    }

    static String key(String token, String username) {
        return mint(token, username).statusCode(201).extract().path("key");
    }

    boolean live(String key) {
        return emulator.find(key).isPresent();
    }

    @Test
    void listingShowsEachTokensStateAsGafaelfawrSeesIt() {
        String alice = person("alice");
        String username = bot("listed");
        String kept = key(alice, username);
        String revokedElsewhere = key(alice, username);
        emulator.revoke(revokedElsewhere, "an-administrator", "127.0.0.1");
        given().header("Authorization", "bearer " + alice).queryParam("username", username)
                .when().get("/service-tokens").then().statusCode(200)
                .body("key", contains(revokedElsewhere, kept))
                .body("state", contains("revoked", "active"))
                .body("[1].requested_by", equalTo("alice"))
                .body("[1].scopes", contains("write:sasquatch"))
                .body("[1].audit_id", not(nullValue()));
        given().header("Authorization", "bearer " + alice).queryParam("username", username)
                .queryParam("state", "revoked").when().get("/service-tokens").then().statusCode(200)
                .body("key", contains(revokedElsewhere));
        given().header("Authorization", "bearer " + alice).when().get("/service-tokens/" + kept).then()
                .statusCode(200).body("state", equalTo("active"));
        // The bot counts only the token still active.
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username).then()
                .body("active_tokens", equalTo(1));
        given().header("Authorization", "bearer " + person("bob")).when().get("/service-tokens/" + kept).then()
                .statusCode(404);
        given().header("Authorization", "bearer " + alice).queryParam("state", "lost")
                .when().get("/service-tokens").then().statusCode(400).body("errors[0].field", equalTo("state"));
    }

    @Test
    void ownersOtherThanTheRequesterReadAndPageTokens() {
        String alice = person("alice");
        String username = bot("shared");
        String first = key(alice, username);
        String second = key(alice, username);
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"users\": [\"alice\", \"frank\"]}").when().put("/bots/" + username + "/owners").then()
                .statusCode(200);
        String frank = person("frank");
        given().header("Authorization", "bearer " + frank).when().get("/service-tokens/" + first).then()
                .statusCode(200).body("requested_by", equalTo("alice"));
        String link = given().header("Authorization", "bearer " + frank).queryParam("username", username)
                .queryParam("limit", 1).when().get("/service-tokens").then().statusCode(200)
                .body("key", contains(second)).extract().header("Link");
        given().header("Authorization", "bearer " + frank)
                .when().get(link.substring(link.indexOf('<') + 1, link.indexOf('>'))).then().statusCode(200)
                .body("key", contains(first));
    }

    @Test
    void ownersRevokeAndTheAuditNamesThem() {
        String alice = person("alice");
        String username = bot("revoked");
        String key = key(alice, username);
        given().header("Authorization", "bearer " + person("bob")).when().delete("/service-tokens/" + key).then()
                .statusCode(404);
        assertTrue(live(key));
        given().header("Authorization", "bearer " + alice).when().delete("/service-tokens/" + key).then()
                .statusCode(204);
        assertFalse(live(key), "revoked in Gafaelfawr");
        assertEquals("revoked/alice/" + key, audit.latestOfAction(username, "revoke"));
        given().header("Authorization", "bearer " + alice).when().delete("/service-tokens/" + key).then()
                .statusCode(204);
        given().header("Authorization", "bearer " + alice).when().get("/service-tokens/" + key).then()
                .body("state", equalTo("revoked"));
        given().header("Authorization", "bearer " + alice).when().delete("/service-tokens/not-a-key").then()
                .statusCode(404);
    }

    @Test
    void rotationReplacesTheTokenAndRevokesTheOldAtOnce() {
        String alice = person("alice");
        String username = bot("rotated");
        String old = given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"username\": \"" + username + "\", \"name\": \"CI job\"}").when().post("/service-tokens")
                .then().statusCode(201).extract().path("key");
        JsonPath rotated = given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{}").when().post("/service-tokens/" + old + "/rotate").then().statusCode(201)
                .header("Cache-Control", "no-store").body("replaces", equalTo(old))
                .body("username", equalTo(username)).extract().jsonPath();
        String replacement = rotated.getString("key");
        assertFalse(live(old), "the old token is revoked at once");
        assertTrue(live(replacement));
        given().header("Authorization", "bearer " + alice).when().get("/service-tokens/" + replacement).then()
                .statusCode(200).body("name", equalTo("CI job")).body("state", equalTo("active"));
        assertTrue(Duration.between(Instant.parse(rotated.getString("old_token_revoked_at")), Instant.now())
                .abs().getSeconds() < 60);
        given().header("Authorization", "bearer " + alice).contentType("application/json").body("{}")
                .when().post("/service-tokens/" + old + "/rotate").then().statusCode(409)
                .body("errors[0].rule", equalTo("token-not-active"));
        given().header("Authorization", "bearer " + person("bob")).contentType("application/json").body("{}")
                .when().post("/service-tokens/" + replacement + "/rotate").then().statusCode(404);
    }

    @Test
    void aGraceKeepsTheOldTokenUntilTheScheduledRevocation() throws Exception {
        String alice = person("alice");
        String username = bot("graced");
        String old = key(alice, username);
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"grace\": \"P2D\"}").when().post("/service-tokens/" + old + "/rotate").then()
                .statusCode(422).body("errors[0].rule", equalTo("grace-too-long"));
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"grace\": \"an hour\"}").when().post("/service-tokens/" + old + "/rotate").then()
                .statusCode(422).body("errors[0].field", equalTo("grace"));
        String replacement = given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"grace\": \"PT2S\"}").when().post("/service-tokens/" + old + "/rotate").then()
                .statusCode(201).extract().path("key");
        assertTrue(live(old), "kept through the grace");
        given().header("Authorization", "bearer " + alice).queryParam("username", username)
                .when().get("/service-tokens").then().body("key", containsInAnyOrder(replacement, old))
                .body("state", contains("active", "active"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (live(old) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertFalse(live(old), "revoked once the grace ended");
        assertTrue(live(replacement));
        assertEquals("revoked/alice/" + old, audit.latestOfAction(username, "revoke"));
        management().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("broker_tokens_revoked_total{how=\"scheduled\"}"))
                .body(org.hamcrest.Matchers.containsString("broker_tokens_rotated_total{grace=\"true\"}"));
    }
}
