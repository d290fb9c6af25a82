package dev.tokenbroker.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tokenbroker.registry.BotStore;
import dev.tokenbroker.support.InjectWireMock;
import dev.tokenbroker.support.WireMockGafaelfawr;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The same Idempotency-Key while the first attempt still waits on Gafaelfawr: 409 with Retry-After. */
@QuarkusTest
@WithTestResource(WireMockGafaelfawr.class)
class IdempotencyInFlightTest {

    @InjectWireMock
    WireMockServer gafaelfawr;

    @Inject
    BotStore bots;

    @Test
    void aRetryWhileTheFirstAttemptRunsIsAConflictAndMintsNothing() throws Exception {
        WireMockGafaelfawr.resetToCaller(gafaelfawr);
        String username = "bot-inflight-" + Long.toString(System.nanoTime(), 36);
        bots.claim(username, "alice", Instant.now());
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens"))
                .willReturn(WireMockGafaelfawr.minted().withFixedDelay(700)));
        String body = "{\"username\": \"" + username + "\"}";
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                .header("Idempotency-Key", "slow-1").contentType("application/json").body(body)
                .when().post("/service-tokens").then().extract().statusCode());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (gafaelfawr.findAll(postRequestedFor(urlEqualTo("/auth/api/v1/tokens"))).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the first attempt reached Gafaelfawr");
            Thread.sleep(20);
        }
        String retryAfter = given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                .header("Idempotency-Key", "slow-1").contentType("application/json").body(body)
                .when().post("/service-tokens").then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].rule", equalTo("idempotency-key-in-flight")).extract().header("Retry-After");
        assertTrue(Integer.parseInt(retryAfter) >= 1);
        assertEquals(201, first.get());
        assertEquals(1, gafaelfawr.findAll(postRequestedFor(urlEqualTo("/auth/api/v1/tokens"))).size(),
                "the conflicting retry never reached Gafaelfawr");
    }
}
