package dev.tokenbroker.issuance;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.EmulatorTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: a plain mint of an owned bot takes at most three connections from the pool
 * (the owners read, the reservation with its pending audit record, the completion with its
 * issued record), read from Agroal's own metrics. The scheduler is off here, so no job
 * borrows a connection meanwhile; the quotas are real.
 */
@QuarkusTest
@TestProfile(TransactionsPerMintTest.Quiet.class)
class TransactionsPerMintTest {

    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false",
                    "broker.quota.issuances-per-caller-per-hour", "1000",
                    "broker.quota.active-tokens-per-bot", "1000");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EmulatorState emulator;

    static io.restassured.response.ValidatableResponse mint(String token, String username) {
        return given().header("Authorization", "bearer " + token).contentType("application/json")
                .body("{\"username\": \"" + username + "\"}").when().post("/service-tokens").then();
    }

    @Test
    void aPlainMintOfAnOwnedBotTakesThreeConnections() {
        String caller = EmulatorTokens.person(emulator, "pool-" + Long.toString(System.nanoTime(), 36),
                "write:sasquatch");
        String username = "bot-pooled-" + Long.toString(System.nanoTime(), 36);
        mint(caller, username).statusCode(201); // the claim, and the caller's and bot's first rows
        int mints = 20;
        long before = dataSource.getMetrics().acquireCount();
        for (int i = 0; i < mints; i++) {
            mint(caller, username).statusCode(201);
        }
        long perMint = (dataSource.getMetrics().acquireCount() - before) / mints;
        assertTrue(dataSource.getMetrics().acquireCount() > before, "the pool's metrics are on");
        assertEquals(3, perMint, "connections taken from the pool per mint");
    }

    @Test
    void aMintUnderAnIdempotencyKeyTakesOneMoreForTheClaim() {
        String caller = EmulatorTokens.person(emulator, "poolkey-" + Long.toString(System.nanoTime(), 36),
                "write:sasquatch");
        String username = "bot-pooledkey-" + Long.toString(System.nanoTime(), 36);
        mint(caller, username).statusCode(201);
        int mints = 20;
        long before = dataSource.getMetrics().acquireCount();
        for (int i = 0; i < mints; i++) {
            given().header("Authorization", "bearer " + caller).header("Idempotency-Key", "pool-key-" + i)
                    .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                    .when().post("/service-tokens").then().statusCode(201);
        }
        // The key's result is written with the issued record, not in a connection of its own.
        assertEquals(4, (dataSource.getMetrics().acquireCount() - before) / mints,
                "connections taken from the pool per mint under a new key");
    }
}
