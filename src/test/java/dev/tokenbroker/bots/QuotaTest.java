package dev.tokenbroker.bots;

import static dev.tokenbroker.bots.BotOwnershipTest.bot;
import static dev.tokenbroker.bots.BotOwnershipTest.mint;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both quotas, answered 429 with Retry-After and audited as denials; counted in the database. */
@QuarkusTest
@TestProfile(QuotaTest.SmallQuotas.class)
class QuotaTest {

    public static class SmallQuotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.quota.issuances-per-caller-per-hour", "4",
                    "broker.quota.active-tokens-per-bot", "2");
        }
    }

    @Inject
    EmulatorState emulator;

    @Inject
    AuditDatabase audit;

    /** A caller of its own, so that each test starts with an empty hourly count. */
    String caller() {
        return EmulatorTokens.person(emulator, "user" + Long.toString(System.nanoTime(), 36), "write:sasquatch");
    }

    @Test
    void aBotHoldsAtMostItsQuotaOfActiveTokens() {
        String caller = caller();
        String username = bot("full");
        mint(caller, username).statusCode(201);
        String second = mint(caller, username).statusCode(201).extract().path("key");
        long before = emulator.createRequests();
        String retryAfter = mint(caller, username).statusCode(429).contentType("application/problem+json")
                .body("errors[0].rule", equalTo("active-tokens-per-bot")).extract().header("Retry-After");
        assertTrue(Integer.parseInt(retryAfter) > 0, "Retry-After " + retryAfter);
        assertEquals(before, emulator.createRequests(), "a refused mint reached Gafaelfawr");
        assertEquals("denied/-", audit.latestOutcome(username));
        given().header("Authorization", "bearer " + caller).when().delete("/service-tokens/" + second).then()
                .statusCode(204);
        mint(caller, username).statusCode(201);
    }

    @Test
    void aRotationWithGraceMayExceedTheBotsQuotaByTheTokenItReplaces() {
        String caller = caller();
        String username = bot("rotating");
        String first = mint(caller, username).statusCode(201).extract().path("key");
        mint(caller, username).statusCode(201);
        given().header("Authorization", "bearer " + caller).contentType("application/json")
                .body("{\"grace\": \"PT1H\"}").when().post("/service-tokens/" + first + "/rotate").then()
                .statusCode(201);
        mint(caller, username).statusCode(429).body("errors[0].rule", equalTo("active-tokens-per-bot"));
    }

    /** Item 7: the quota never pushes an owner to keep the old token alive longer than needed. */
    @Test
    void aFullBotRotatesAtOnceAsWellAsWithAGrace() {
        String caller = caller();
        String username = bot("full-rotates");
        String first = mint(caller, username).statusCode(201).extract().path("key");
        mint(caller, username).statusCode(201);
        given().header("Authorization", "bearer " + caller).contentType("application/json").body("{}")
                .when().post("/service-tokens/" + first + "/rotate").then().statusCode(201);
        assertEquals(2, emulator.tokensOfUser(username), "the old token left as its successor arrived");
        mint(caller, username).statusCode(429);
    }

    /** Item 6: the "+1" of a rotation lasts only while the replaced token is really in its grace. */
    @Test
    void aRotationReplayedAfterTheGraceEndedKeepsNoExemption() throws Exception {
        String caller = caller();
        String username = bot("replay-late");
        String first = mint(caller, username).statusCode(201).extract().path("key");
        mint(caller, username).statusCode(201);
        String replacement = given().header("Authorization", "bearer " + caller).header("Idempotency-Key", "late-1")
                .contentType("application/json").body("{\"grace\": \"PT1S\"}")
                .when().post("/service-tokens/" + first + "/rotate").then().statusCode(201).extract().path("key");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (emulator.find(first).isPresent()) {
            assertTrue(System.nanoTime() < deadline, "the grace ended and the old token was revoked");
            Thread.sleep(200);
        }
        // The freed place is used (by an admin, whose hourly count is its own): the bot is at its quota
        // again without the replaced token.
        given().header("Authorization", "bearer " + caller).when().delete("/service-tokens/" + replacement).then()
                .statusCode(204);
        mint(EmulatorTokens.person(emulator, "root" + Long.toString(System.nanoTime(), 36), "write:sasquatch",
                "admin:token"), username).statusCode(201);
        long creates = emulator.createRequests();
        given().header("Authorization", "bearer " + caller).header("Idempotency-Key", "late-1")
                .contentType("application/json").body("{\"grace\": \"PT1S\"}")
                .when().post("/service-tokens/" + first + "/rotate").then().statusCode(429)
                .body("errors[0].rule", equalTo("active-tokens-per-bot"));
        assertEquals(creates, emulator.createRequests());
        assertEquals(2, emulator.tokensOfUser(username), "never above the quota for good");
    }

    /**
     * Issue 17: the bot's live tokens are a counter; a token that leaves by expiring (no
     * transaction sees it) is recounted once the bot's soonest expiry has passed. Time is
     * moved in the database: the token's expiry and the bot's soonest expiry, as if it passed.
     */
    @Test
    void anExpiredTokenLeavesTheBotsQuotaThoughNoTransactionSawItGo() {
        String caller = caller();
        String username = bot("expiring");
        String first = mint(caller, username).statusCode(201).extract().path("key");
        mint(caller, username).statusCode(201);
        mint(caller, username).statusCode(429).body("errors[0].rule", equalTo("active-tokens-per-bot"));
        long past = java.time.Instant.now().getEpochSecond() - 1;
        audit.execute("UPDATE service_token SET expires = ? WHERE token_key = ?", past, first);
        audit.execute("UPDATE bot SET next_expiry = ? WHERE username = ?", past, username);
        mint(caller, username).statusCode(201);
        mint(caller, username).statusCode(429);
        assertEquals(2, audit.number("SELECT live_tokens FROM bot WHERE username = ?", username));
    }

    @Test
    void aCallerMintsAtMostItsHourlyQuota() {
        String caller = caller();
        for (int i = 0; i < 4; i++) {
            mint(caller, bot("hourly" + i)).statusCode(201);
        }
        String username = bot("hourly-over");
        String retryAfter = mint(caller, username).statusCode(429)
                .body("errors[0].rule", equalTo("issuances-per-caller-per-hour")).extract().header("Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds > 3000 && seconds <= 3600, "the oldest of the hour ages out in about an hour: " + seconds);
        assertEquals("denied/-", audit.latestOutcome(username));
    }
}
