package dev.tokenbroker.federation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Trust policies over HTTP: who may manage and read them, what a policy may say, and the audit. */
@QuarkusTest
class TrustPolicyTest {

    static final String POLICY = "{\"issuer\": \"demo\", \"subject_pattern\": \"repo:lsst-sqre/foo:ref:refs/tags/.*\","
            + " \"claims\": {\"repository_owner\": \"lsst-sqre\"}, \"scopes\": [\"write:sasquatch\"], \"max_lifetime\": \"PT30M\"}";

    @Inject
    EmulatorState emulator;

    @Inject
    AuditDatabase audit;

    static String bot(String name) {
        return "bot-" + name + "-" + Long.toString(System.nanoTime(), 36);
    }

    String person(String username, String... scopes) {
        return EmulatorTokens.person(emulator, username, scopes.length == 0 ? new String[] {"write:sasquatch"} : scopes);
    }

    /** A bot owned by its first minter. */
    String ownedBy(String token) {
        String username = bot("fed");
        given().header("Authorization", "bearer " + token).contentType("application/json")
                .body("{\"username\": \"" + username + "\"}").when().post("/service-tokens").then().statusCode(201);
        return username;
    }

    static ValidatableResponse put(String token, String username, String name, String body) {
        return given().header("Authorization", "bearer " + token).contentType("application/json").body(body)
                .when().put("/bots/" + username + "/trust-policies/" + name).then();
    }

    @Test
    void anOwnerManagesItsBotsPoliciesAndEveryChangeIsAudited() {
        String alice = person("alice");
        String username = ownedBy(alice);
        put(alice, username, "release-ci", POLICY).statusCode(200)
                .body("name", equalTo("release-ci"))
                .body("issuer", equalTo("demo"))
                .body("subject_pattern", equalTo("repo:lsst-sqre/foo:ref:refs/tags/.*"))
                .body("claims.repository_owner", equalTo("lsst-sqre"))
                .body("scopes", contains("write:sasquatch"))
                .body("max_lifetime", equalTo("PT30M"));
        assertEquals("policy_set/-", audit.latestOfAction(username, "set-policy").replaceFirst("/alice", ""));
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username + "/trust-policies")
                .then().statusCode(200).body("name", contains("release-ci"));
        // Replaced whole: no max_lifetime means the default hour.
        put(alice, username, "release-ci", "{\"issuer\": \"demo\", \"subject\": \"repo:lsst-sqre/foo:ref:refs/heads/main\","
                + " \"scopes\": [\"write:sasquatch\"]}").statusCode(200)
                .body("subject", equalTo("repo:lsst-sqre/foo:ref:refs/heads/main"))
                .body("max_lifetime", equalTo("PT1H"));
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username + "/trust-policies/release-ci")
                .then().statusCode(200).body("subject_pattern", equalTo(null));
        given().header("Authorization", "bearer " + alice).when().delete("/bots/" + username + "/trust-policies/release-ci")
                .then().statusCode(204);
        assertTrue(audit.latestOfAction(username, "delete-policy").startsWith("policy_deleted"));
        given().header("Authorization", "bearer " + alice).when().delete("/bots/" + username + "/trust-policies/release-ci")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username + "/trust-policies")
                .then().statusCode(200).body("$", empty());
    }

    @Test
    void strangersSeeNothingBotsReadOnlyAndAdminsEverything() {
        String alice = person("alice");
        String username = ownedBy(alice);
        put(alice, username, "ci", POLICY).statusCode(200);
        String mallory = person("mallory");
        put(mallory, username, "ci", POLICY).statusCode(404);
        put(mallory, username, "evil", POLICY).statusCode(404);
        given().header("Authorization", "bearer " + mallory).when().get("/bots/" + username + "/trust-policies")
                .then().statusCode(404);
        given().header("Authorization", "bearer " + mallory).when().delete("/bots/" + username + "/trust-policies/ci")
                .then().statusCode(404);
        String botToken = EmulatorTokens.token(emulator, username, "service", "write:sasquatch");
        given().header("Authorization", "bearer " + botToken).when().get("/bots/" + username + "/trust-policies")
                .then().statusCode(200).body("name", contains("ci"));
        put(botToken, username, "mine", POLICY).statusCode(403).body("errors[0].rule", equalTo("bot-caller-read-only"));
        String admin = person("root", "write:sasquatch", "admin:token");
        put(admin, username, "admin-made", POLICY).statusCode(200);
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username + "/trust-policies")
                .then().statusCode(200).body("name", contains("admin-made", "ci"));
    }

    @Test
    void aPolicyOutlivesTheOwnerWhoWroteIt() {
        String alice = person("alice");
        String username = ownedBy(alice);
        put(alice, username, "ci", POLICY).statusCode(200);
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"users\": [\"bob\"]}").when().put("/bots/" + username + "/owners").then().statusCode(200);
        given().header("Authorization", "bearer " + person("bob")).when().get("/bots/" + username + "/trust-policies")
                .then().statusCode(200).body("name", hasItem("ci"));
    }

    @Test
    void aBrokenRuleIsNamedAndNothingIsStored() {
        String alice = person("alice");
        String username = ownedBy(alice);
        put(alice, username, "ci", "{\"issuer\": \"gitlab\", \"subject\": \"x\", \"scopes\": [\"write:sasquatch\"]}")
                .statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("issuer")).body("errors.rule", hasItem("unknown-issuer"));
        put(alice, username, "ci", "{\"issuer\": \"demo\", \"subject_pattern\": \"repo:(\", \"scopes\": [\"write:sasquatch\"]}")
                .statusCode(422).body("errors.rule", hasItem("invalid-pattern"));
        put(alice, username, "ci", "{\"issuer\": \"demo\", \"subject\": \"x\", \"scopes\": [\"admin:token\"]}")
                .statusCode(422).body("errors.rule", hasItem("scope-not-allowed"));
        put(alice, username, "ci", "{\"issuer\": \"demo\", \"subject\": \"x\", \"scopes\": [\"write:sasquatch\"],"
                + " \"max_lifetime\": \"P30D\"}").statusCode(422).body("errors.rule", hasItem("lifetime-out-of-range"));
        put(alice, username, "ci", "{\"issuer\": \"demo\", \"subject\": \"x\", \"scopes\": [\"write:sasquatch\"],"
                + " \"max_lifetime\": \"an hour\"}").statusCode(422).body("errors.rule", hasItem("duration-format"));
        put(alice, username, "ci", "{\"issuer\": \"demo\", \"subject\": \"x\", \"scopes\": [\"write:sasquatch\"],"
                + " \"subjects\": [\"y\"]}").statusCode(422).body("errors.field", hasItem("subjects"));
        put(alice, username, "Not_A_Name", POLICY).statusCode(422).body("errors.rule", hasItem("trust-policy-name"));
        put(alice, username, "ci", "{\"issuer\": 12, \"subject\": \"x\", \"scopes\": [\"write:sasquatch\"]}")
                .statusCode(400).contentType("application/problem+json");
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username + "/trust-policies")
                .then().statusCode(200).body("$", empty());
    }
}
