package dev.tokenbroker.bots;

import static dev.tokenbroker.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may mint for a bot, claims, owners by name and by group, and the bot listings, over HTTP. */
@QuarkusTest
class BotOwnershipTest {

    @Inject
    EmulatorState emulator;

    @Inject
    AuditDatabase audit;

    static String bot(String name) {
        return "bot-" + name + "-" + Long.toString(System.nanoTime(), 36);
    }

    String person(String username) {
        return EmulatorTokens.person(emulator, username, "write:sasquatch");
    }

    String admin(String username) {
        return EmulatorTokens.person(emulator, username, "write:sasquatch", "admin:token");
    }

    static ValidatableResponse mint(String token, String username) {
        return given().header("Authorization", "bearer " + token).contentType("application/json")
                .body("{\"username\": \"" + username + "\"}").when().post("/service-tokens").then();
    }

    @Test
    void theFirstMintClaimsANewBotForItsCallerAlone() {
        String alice = person("alice");
        String username = bot("claimed");
        mint(alice, username).statusCode(201);
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username).then().statusCode(200)
                .body("username", equalTo(username))
                .body("owners.users", contains("alice"))
                .body("owners.groups", empty())
                .body("claimed_by", equalTo("alice"))
                .body("claimed_at", not(nullValue()))
                .body("active_tokens", equalTo(1));
        given().header("Authorization", "bearer " + alice).when().get("/bots").then().statusCode(200)
                .body("username", hasItem(username));
        assertEquals("claimed/alice/-", audit.latestOfAction(username, "claim"));
        mint(alice, username).statusCode(201);
        management().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("broker_bots_claimed_total"));
    }

    @Test
    void aNonOwnerIsRefusedAndNothingReachesGafaelfawr() {
        String username = bot("owned");
        mint(person("alice"), username).statusCode(201);
        String bob = person("bob");
        long before = emulator.createRequests();
        mint(bob, username).statusCode(403).contentType("application/problem+json")
                .body("errors[0].field", equalTo("username"))
                .body("errors[0].rule", equalTo("bot-not-owned"));
        assertEquals(before, emulator.createRequests(), "a refused mint reached Gafaelfawr");
        assertEquals("denied/-", audit.latestOutcome(username));
        given().header("Authorization", "bearer " + bob).when().get("/bots/" + username).then().statusCode(404);
        given().header("Authorization", "bearer " + bob).when().get("/bots").then().statusCode(200)
                .body("username", not(hasItem(username)));
    }

    @Test
    void aGroupOwnsABotForEveryMember() {
        String alice = person("alice");
        String username = bot("grouped");
        mint(alice, username).statusCode(201);
        emulator.setGroups("carol", List.of("g_metrics"));
        String carol = person("carol");
        mint(carol, username).statusCode(403);
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"users\": [\"alice\"], \"groups\": [\"g_metrics\"]}")
                .when().put("/bots/" + username + "/owners").then().statusCode(200)
                .body("owners.users", contains("alice")).body("owners.groups", contains("g_metrics"));
        mint(carol, username).statusCode(201);
        given().header("Authorization", "bearer " + carol).when().get("/bots/" + username).then().statusCode(200);
        assertEquals("owners_changed/alice/-", audit.latestOfAction(username, "set-owners"));
    }

    @Test
    void aBotWithTokensInGafaelfawrButNoOwnerIsForAdminsOnly() {
        String username = bot("legacy");
        EmulatorTokens.token(emulator, username, "service", "write:sasquatch"); // made by hand, before the broker
        String dave = person("dave");
        long before = emulator.createRequests();
        mint(dave, username).statusCode(403).body("errors[0].rule", equalTo("bot-unclaimed"));
        assertEquals(before, emulator.createRequests());
        String root = admin("root");
        mint(root, username).statusCode(201);
        given().header("Authorization", "bearer " + root).when().get("/bots/" + username).then().statusCode(200)
                .body("owners.users", empty()).body("claimed_by", nullValue());
        mint(dave, username).statusCode(403).body("errors[0].rule", equalTo("bot-unclaimed"));
        given().header("Authorization", "bearer " + dave).contentType("application/json")
                .body("{\"users\": [\"dave\"]}").when().put("/bots/" + username + "/owners").then().statusCode(404);
        given().header("Authorization", "bearer " + root).contentType("application/json")
                .body("{\"users\": [\"dave\"]}").when().put("/bots/" + username + "/owners").then().statusCode(200)
                .body("owners.users", contains("dave"));
        mint(dave, username).statusCode(201);
    }

    @Test
    void ownersAreChangedOnlyByOwnersAndAdminsAndNeverToNobody() {
        String alice = person("alice");
        String username = bot("owners");
        mint(alice, username).statusCode(201);
        given().header("Authorization", "bearer " + person("bob")).contentType("application/json")
                .body("{\"users\": [\"bob\"]}").when().put("/bots/" + username + "/owners").then().statusCode(404);
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"users\": [], \"groups\": []}").when().put("/bots/" + username + "/owners").then()
                .statusCode(422).body("errors[0].rule", equalTo("owners-empty"));
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"users\": [\"Not A User\"], \"groups\": [null]}").when().put("/bots/" + username + "/owners")
                .then().statusCode(400);
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"users\": [\"bob\"]}").when().put("/bots/" + username + "/owners").then().statusCode(200);
        // alice handed the bot over: she no longer owns it.
        mint(alice, username).statusCode(403).body("errors[0].rule", equalTo("bot-not-owned"));
        given().header("Authorization", "bearer " + admin("root")).when().get("/bots?owner=bob").then()
                .statusCode(200).body("username", hasItem(username));
    }

    @Test
    void botListingsArePagedNewestFirst() {
        String erin = person("erin");
        String first = bot("page-a");
        String second = bot("page-b");
        mint(erin, first).statusCode(201);
        mint(erin, second).statusCode(201);
        String link = given().header("Authorization", "bearer " + erin).when().get("/bots?limit=1").then()
                .statusCode(200).body("username", contains(second)).extract().header("Link");
        String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        given().header("Authorization", "bearer " + erin).when().get(next).then().statusCode(200)
                .body("username", contains(first));
        given().header("Authorization", "bearer " + erin).when().get("/bots?cursor=%00").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }
}
