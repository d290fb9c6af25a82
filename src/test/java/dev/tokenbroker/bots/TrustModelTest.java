package dev.tokenbroker.bots;

import static dev.tokenbroker.bots.BotOwnershipTest.bot;
import static dev.tokenbroker.bots.BotOwnershipTest.mint;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * One trust model for every route (issue 16): each test is one of the holes found by
 * trying the management routes as an attacker or a careless team would.
 */
@QuarkusTest
class TrustModelTest {

    @Inject
    EmulatorState emulator;

    @Inject
    AuditDatabase audit;

    @ConfigProperty(name = "emulator.admin-username", defaultValue = "bot-service-token-broker")
    String brokerIdentity;

    String person(String username) {
        return EmulatorTokens.person(emulator, username, "write:sasquatch");
    }

    String admin(String username) {
        return EmulatorTokens.person(emulator, username, "write:sasquatch", "admin:token");
    }

    static ValidatableResponse setOwners(String token, String username, String body) {
        return given().header("Authorization", "bearer " + token).contentType("application/json").body(body)
                .when().put("/bots/" + username + "/owners").then();
    }

    static ValidatableResponse rotate(String token, String key, String body) {
        return given().header("Authorization", "bearer " + token).contentType("application/json").body(body)
                .when().post("/service-tokens/" + key + "/rotate").then();
    }

    static ValidatableResponse revoke(String token, String key) {
        return given().header("Authorization", "bearer " + token).when().delete("/service-tokens/" + key).then();
    }

    /** Item 1: a token delegated to another application is refused on every route, reads included. */
    @Test
    void aTokenDelegatedToAnotherApplicationIsRefusedOnEveryRoute() {
        String alice = person("alice");
        String username = bot("delegated");
        String key = mint(alice, username).statusCode(201).extract().path("key");
        String portal = emulator.delegate("alice", "portal", List.of("write:sasquatch")).value();
        setOwners(portal, username, "{\"users\": [\"mallory\"]}").statusCode(403)
                .contentType("application/problem+json").body("errors[0].rule", equalTo("caller-delegated-elsewhere"));
        revoke(portal, key).statusCode(403).body("errors[0].rule", equalTo("caller-delegated-elsewhere"));
        rotate(portal, key, "{}").statusCode(403).body("errors[0].rule", equalTo("caller-delegated-elsewhere"));
        given().header("Authorization", "bearer " + portal).when().get("/bots").then().statusCode(403)
                .body("errors[0].rule", equalTo("caller-delegated-elsewhere"));
        given().header("Authorization", "bearer " + portal).when().get("/audit/events").then().statusCode(403);
        assertTrue(emulator.find(key).isPresent(), "the token survived");
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username).then().statusCode(200)
                .body("owners.users", equalTo(List.of("alice")));
    }

    /** Item 14: behind the ingress, X-Auth-Request-Service names the application whose token was presented. */
    @Test
    void aCallerPresentingAnotherApplicationsTokenThroughTheIngressIsRefused() {
        String alice = person("alice");
        given().header("Authorization", "bearer " + alice).header("X-Auth-Request-Service", "portal")
                .when().get("/bots").then().statusCode(403)
                .body("errors[0].rule", equalTo("caller-delegated-elsewhere"))
                .body("detail", containsString("portal"));
        mint(alice, bot("via-portal")).statusCode(201); // without the header the same token mints
        given().header("Authorization", "bearer " + alice).header("X-Auth-Request-Service", "portal")
                .contentType("application/json").body("{\"username\": \"" + bot("via-portal") + "\"}")
                .when().post("/service-tokens").then().statusCode(403);
        // The broker's own service name is what a token delegated to the broker carries: admitted.
        given().header("Authorization", "bearer " + alice).header("X-Auth-Request-Service", "service-token-broker")
                .when().get("/bots").then().statusCode(200);
    }

    /** Item 2: bots own nothing, and a bot's token reads its bot but never changes it. */
    @Test
    void aBotsTokenReadsItsBotButNeverManagesIt() {
        String alice = person("alice");
        String username = bot("self");
        String minted = mint(alice, username).statusCode(201).extract().path("token");
        String key = minted.substring(3, 25);
        setOwners(alice, username, "{\"users\": [\"alice\", \"" + username + "\"]}").statusCode(422)
                .body("errors.rule", hasItem("owner-username")).body("errors.field", hasItem("users[1]"));
        given().header("Authorization", "bearer " + minted).when().get("/bots/" + username).then().statusCode(200);
        given().header("Authorization", "bearer " + minted).when().get("/service-tokens/" + key).then()
                .statusCode(200);
        setOwners(minted, username, "{\"users\": [\"mallory\"]}").statusCode(403)
                .body("errors[0].rule", equalTo("bot-caller-read-only"));
        revoke(minted, key).statusCode(403).body("errors[0].rule", equalTo("bot-caller-read-only"));
        rotate(minted, key, "{}").statusCode(403).body("errors[0].rule", equalTo("bot-caller-read-only"));
        given().header("Authorization", "bearer " + minted).when().get("/bots/" + bot("other")).then()
                .statusCode(404);
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username).then()
                .body("owners.users", equalTo(List.of("alice")));
        assertTrue(emulator.find(key).isPresent());
    }

    /** Item 3: a rotated token cannot be rotated again, so its grace is never renewed. */
    @Test
    void aTokenIsRotatedAtMostOnceAndItsGraceIsNeverExtended() {
        String alice = person("alice");
        String username = bot("once");
        String old = mint(alice, username).statusCode(201).extract().path("key");
        rotate(alice, old, "{\"grace\": \"PT1H\"}").statusCode(201);
        long revokeAfter = audit.number("SELECT revoke_after FROM service_token WHERE token_key = ?", old);
        long creates = emulator.createRequests();
        rotate(alice, old, "{\"grace\": \"PT23H\"}").statusCode(409)
                .body("errors[0].rule", equalTo("token-already-rotated"));
        rotate(alice, old, "{}").statusCode(409).body("errors[0].rule", equalTo("token-already-rotated"));
        assertEquals(creates, emulator.createRequests(), "a refused rotation reached Gafaelfawr");
        assertEquals(2, emulator.tokensOfUser(username), "the old token and one successor");
        assertEquals(2, audit.count("target_username = ? AND outcome = 'denied'"
                + " AND reason = 'rotation: token-already-rotated'", username), "both refusals audited");
        assertEquals(revokeAfter, audit.number("SELECT revoke_after FROM service_token WHERE token_key = ?", old),
                "the grace fixed by the first rotation stands");
        assertTrue(revokeAfter > 0);
    }

    /** Item 4: concurrent rotations of one token: one successor, the rest 409. */
    @Test
    void concurrentRotationsOfOneTokenHaveOneWinner() throws Exception {
        String alice = person("alice");
        String username = bot("race");
        String old = mint(alice, username).statusCode(201).extract().path("key");
        int racers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            Callable<Integer> call = () -> {
                start.await();
                return rotate(alice, old, "{\"grace\": \"PT1H\"}").extract().statusCode();
            };
            answers.add(pool.submit(call));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "statuses " + statuses);
        assertEquals(racers - 1, statuses.stream().filter(s -> s == 409).count(), "statuses " + statuses);
        assertEquals(2, emulator.tokensOfUser(username), "the old token (in its grace) and exactly one successor");
    }

    /** Item 5: an empty or blank Idempotency-Key is an error, not an absent key. */
    @Test
    void anEmptyOrBlankIdempotencyKeyIsRefused() {
        String alice = person("alice");
        String username = bot("empty-key");
        long creates = emulator.createRequests();
        for (String key : List.of("", " ", "   ")) {
            given().header("Authorization", "bearer " + alice).header("Idempotency-Key", key)
                    .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                    .when().post("/service-tokens").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].rule", equalTo("idempotency-key-format"))
                    .body("errors[0].field", equalTo("Idempotency-Key"));
        }
        assertEquals(creates, emulator.createRequests());
        String old = mint(alice, username).statusCode(201).extract().path("key");
        given().header("Authorization", "bearer " + alice).header("Idempotency-Key", "")
                .contentType("application/json").body("{}").when().post("/service-tokens/" + old + "/rotate")
                .then().statusCode(400).body("errors[0].rule", equalTo("idempotency-key-format"));
        assertEquals(1, emulator.tokensOfUser(username));
    }

    /** Item 8: unknown fields are refused by name in every body, and change nothing. */
    @Test
    void unknownFieldsInTheRotateAndOwnersBodiesAreRefusedByName() {
        String alice = person("alice");
        String username = bot("typo");
        String old = mint(alice, username).statusCode(201).extract().path("key");
        rotate(alice, old, "{\"grace_period\": \"PT1H\"}").statusCode(422)
                .body("errors[0].field", equalTo("grace_period")).body("errors[0].rule", equalTo("unknown-field"));
        assertTrue(emulator.find(old).isPresent(), "nothing was rotated or revoked");
        assertEquals(1, emulator.tokensOfUser(username));
        setOwners(alice, username, "{\"users\": [\"alice\"], \"group\": [\"g_team\"]}").statusCode(422)
                .body("errors[0].field", equalTo("group")).body("errors[0].rule", equalTo("unknown-field"));
        setOwners(alice, username, "{\"users\": [\"alice\"], \"uid\": 4}").statusCode(422)
                .body("errors[0].rule", equalTo("identity-override"));
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username).then()
                .body("owners.users", equalTo(List.of("alice"))).body("owners.groups", equalTo(List.of()));
    }

    /** Item 9: nobody, admins included, obtains or owns the broker's own identity through it. */
    @Test
    void theBrokersOwnIdentityIsUntouchable() {
        String root = admin("root");
        long creates = emulator.createRequests();
        mint(root, brokerIdentity).statusCode(403).body("errors[0].rule", equalTo("broker-identity"));
        mint(person("alice"), brokerIdentity).statusCode(403).body("errors[0].rule", equalTo("broker-identity"));
        setOwners(root, brokerIdentity, "{\"users\": [\"alice\"]}").statusCode(403)
                .body("errors[0].rule", equalTo("broker-identity"));
        assertEquals(creates, emulator.createRequests(), "nothing reached Gafaelfawr");
        given().header("Authorization", "bearer " + root).when().get("/bots/" + brokerIdentity).then()
                .statusCode(404);
    }

    /** Item 10: a first mint that Gafaelfawr refuses leaves nothing that blocks a later claim. */
    @Test
    void aFailedFirstMintDoesNotLockTheBotName() {
        String username = bot("failed-first");
        emulator.withdrawScope("write:sasquatch");
        try {
            mint(admin("root"), username).statusCode(502).body("detail", containsString("Unknown scopes requested"));
        } finally {
            emulator.restoreScope("write:sasquatch");
        }
        String alice = person("alice");
        mint(alice, username).statusCode(201);
        given().header("Authorization", "bearer " + alice).when().get("/bots/" + username).then().statusCode(200)
                .body("owners.users", equalTo(List.of("alice"))).body("claimed_by", equalTo("alice"));
    }

    /** Item 13: a bot that ever had a token in Gafaelfawr is not claimable, though none is listed now. */
    @Test
    void aBotWhoseHandMadeTokenWasRevokedCannotBeClaimed() {
        String username = bot("hand-made");
        String key = emulator.create(username, "service", List.of("write:sasquatch"), null, null, "by hand",
                "an-administrator", "127.0.0.1").key();
        emulator.revoke(key, "an-administrator", "127.0.0.1");
        long creates = emulator.createRequests();
        mint(person("mallory"), username).statusCode(403).body("errors[0].rule", equalTo("bot-unclaimed"))
                .body("errors[0].message", containsString("has had tokens in Gafaelfawr"));
        assertEquals(creates, emulator.createRequests());
        mint(admin("root"), username).statusCode(201);
    }

    /** Item 11: a secret pasted into a path never reaches a log line, message or MDC. */
    @Test
    void aSecretPastedIntoAPathIsRedactedFromTheLog() {
        String alice = person("alice");
        String secret = "S3cretS3cretS3cretS3cr";
        String pasted = "gt-abcdefghijklmnopqrstuv." + secret;
        try (var logs = dev.tokenbroker.support.LogCapture.asWritten()) {
            revoke(alice, pasted).statusCode(404);
            given().header("Authorization", "bearer " + alice).when().get("/service-tokens/" + pasted).then()
                    .statusCode(404);
            assertEquals(List.of(), logs.linesContaining(secret));
            assertFalse(logs.linesContaining("abcdefghijklmnopqrstuv").isEmpty(), "the request was logged, key and all");
        }
        // Pasted as a request id, a user agent or a name, it is never stored either.
        String username = bot("pasted");
        String requestId = given().header("Authorization", "bearer " + alice).header("X-Request-Id", pasted)
                .header("User-Agent", pasted).contentType("application/json")
                .body("{\"username\": \"" + username + "\", \"name\": \"" + pasted + "\"}")
                .when().post("/service-tokens").then().statusCode(201).extract().header("X-Request-Id");
        assertFalse(requestId.contains(secret), requestId);
        assertEquals(0, audit.count("request_id LIKE ? OR user_agent LIKE ? OR display_name LIKE ?",
                "%" + secret + "%", "%" + secret + "%", "%" + secret + "%"));
        assertTrue(audit.count("target_username = ? AND user_agent = ?", username,
                "gt-abcdefghijklmnopqrstuv.<redacted>") >= 2, "pending and issued records, the key kept");
    }

    /** Decided: only distinct owners count toward the limit of 50. */
    @Test
    void duplicateOwnersDoNotCountTowardTheLimit() {
        String alice = person("alice");
        String username = bot("many-owners");
        mint(alice, username).statusCode(201);
        String fifty = IntStream.range(0, 49).mapToObj(i -> "\"user" + i + "\"").collect(Collectors.joining(", "));
        setOwners(alice, username, "{\"users\": [\"alice\", \"alice\", \"alice\", " + fifty + "]}").statusCode(200);
        setOwners(alice, username, "{\"users\": [\"alice\", \"extra\", " + fifty + "]}").statusCode(422)
                .body("errors.rule", hasItem("owners-too-many"));
    }

    /** Decided: an owner change, a revocation or a rotation asks Gafaelfawr about the caller afresh. */
    @Test
    void aRevokedCallerTokenLosesManagementRightsAtOnce() {
        String alice = person("alice");
        String username = bot("fresh");
        String key = mint(alice, username).statusCode(201).extract().path("key");
        String bob = person("bob");
        setOwners(alice, username, "{\"users\": [\"alice\", \"bob\"]}").statusCode(200);
        given().header("Authorization", "bearer " + bob).when().get("/bots/" + username).then().statusCode(200);
        emulator.revoke(bob.substring(3, 25), "an-administrator", "127.0.0.1");
        // Within the cache's 30 s, a read still answers; a management action does not.
        given().header("Authorization", "bearer " + bob).when().get("/bots/" + username).then().statusCode(200);
        revoke(bob, key).statusCode(401);
        setOwners(bob, username, "{\"users\": [\"bob\"]}").statusCode(401);
        assertTrue(emulator.find(key).isPresent());
        // A group membership lost a moment ago no longer manages either.
        String carol = person("carol");
        emulator.setGroups("carol", List.of("g_fresh"));
        setOwners(alice, username, "{\"users\": [\"alice\"], \"groups\": [\"g_fresh\"]}").statusCode(200);
        given().header("Authorization", "bearer " + carol).when().get("/bots/" + username).then().statusCode(200);
        emulator.setGroups("carol", List.of());
        revoke(carol, key).statusCode(404);
        assertTrue(emulator.find(key).isPresent(), "not revoked by a former group member");
    }
}
