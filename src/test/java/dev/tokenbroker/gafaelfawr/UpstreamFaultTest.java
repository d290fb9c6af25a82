package dev.tokenbroker.gafaelfawr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.tokenbroker.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.tokenbroker.support.InjectWireMock;
import dev.tokenbroker.support.WireMockGafaelfawr;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the broker answers when Gafaelfawr fails, and proof that a token POST is sent at most once. */
@QuarkusTest
@WithTestResource(WireMockGafaelfawr.class)
class UpstreamFaultTest {

    static final String TOKENS = "/auth/api/v1/tokens";
    static final String BODY = "{\"username\": \"bot-upstream-faults\", \"name\": \"Jenkins metrics job\","
            + " \"token_type\": \"service\", \"scopes\": [\"write:sasquatch\"]}";

    @InjectWireMock
    WireMockServer gafaelfawr;

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    /** Whether the audit says Gafaelfawr certainly did not mint (failed) or may have (unknown). */
    void assertAudited(String outcomeAndKey) {
        assertEquals(outcomeAndKey, new dev.tokenbroker.support.AuditDatabase(dataSource).latestOutcome("bot-upstream-faults"));
    }

    @jakarta.inject.Inject
    dev.tokenbroker.registry.BotStore bots;

    @BeforeEach
    void reset() {
        WireMockGafaelfawr.resetToCaller(gafaelfawr);
        // alice owns the bot already: these tests are about the token POST, not the first mint's claim check.
        bots.claim("bot-upstream-faults", "alice", java.time.Instant.now());
    }

    ValidatableResponse issue() {
        return given().header("Authorization", "Bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                .contentType("application/json").body(BODY)
                .when().post("/service-tokens")
                .then().contentType(not(containsString("html")));
    }

    void tokensAnswer(ResponseDefinitionBuilder answer) {
        gafaelfawr.stubFor(post(urlEqualTo(TOKENS)).willReturn(answer));
    }

    void assertPostedOnce() {
        assertEquals(1, gafaelfawr.countRequestsMatching(postRequestedFor(urlEqualTo(TOKENS)).build()).getCount());
    }

    /**
     * Gafaelfawr hangs on every check of the admin token: the background check times out and
     * turns the broker not-ready, yet each probe answers without waiting, and fifty probes make
     * no more checks than the one-second schedule does.
     */
    @Test
    void readinessNeverWaitsOnGafaelfawr() {
        gafaelfawr.stubFor(get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + WireMockGafaelfawr.ADMIN_TOKEN))
                .willReturn(aResponse().withFixedDelay(5_000)));
        var adminChecks = getRequestedFor(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + WireMockGafaelfawr.ADMIN_TOKEN)).build();
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(15);
        while (management().when().get("/q/health/ready").then().extract().statusCode() != 503
                && java.time.Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        int before = gafaelfawr.countRequestsMatching(adminChecks).getCount();
        for (int i = 0; i < 50; i++) {
            management().config(io.restassured.RestAssured.config().httpClient(
                    io.restassured.config.HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 5_000)))
                    .when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'gafaelfawr-admin-token' }.data.reason",
                            containsString("cannot check the admin token"));
        }
        int during = gafaelfawr.countRequestsMatching(adminChecks).getCount() - before;
        assertTrue(during < 10, during + " checks of the admin token during 50 probes");
    }

    @Test
    void mintsWithTheAdminTokenAndTheDecidedBody() {
        tokensAnswer(WireMockGafaelfawr.minted()
                .withHeader("Location", "/auth/api/v1/users/bot-upstream-faults/tokens/" + WireMockGafaelfawr.MINTED_KEY));
        issue().statusCode(201)
                .body("token", equalTo(WireMockGafaelfawr.MINTED_TOKEN))
                .body("key", equalTo(WireMockGafaelfawr.MINTED_KEY))
                .body("requested_by", equalTo("alice"));
        gafaelfawr.verify(1, postRequestedFor(urlEqualTo(TOKENS))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + WireMockGafaelfawr.ADMIN_TOKEN))
                .withHeader("Content-Type", WireMock.containing("application/json"))
                .withRequestBody(matchingJsonPath("$.username", WireMock.equalTo("bot-upstream-faults")))
                .withRequestBody(matchingJsonPath("$.token_type", WireMock.equalTo("service")))
                .withRequestBody(matchingJsonPath("$.name", WireMock.equalTo("Jenkins metrics job")))
                .withRequestBody(matchingJsonPath("$.scopes[0]", WireMock.equalTo("write:sasquatch")))
                .withRequestBody(matchingJsonPath("$.expires")));
    }

    @Test
    void aFirstMintWhoseClaimCannotBeCheckedMintsNothingAndIsRecordedFailed() {
        String username = "bot-unchecked-" + Long.toString(System.nanoTime(), 36);
        gafaelfawr.stubFor(WireMock.get(WireMock.urlPathEqualTo("/auth/api/v1/history/token-changes"))
                .withQueryParam("username", WireMock.equalTo(username)).willReturn(aResponse().withStatus(500)));
        given().header("Authorization", "Bearer " + WireMockGafaelfawr.CALLER_TOKEN).contentType("application/json")
                .body("{\"username\": \"" + username + "\"}").when().post("/service-tokens").then().statusCode(502)
                .contentType("application/problem+json");
        gafaelfawr.verify(0, postRequestedFor(urlEqualTo(TOKENS)));
        assertEquals("failed/-", new dev.tokenbroker.support.AuditDatabase(dataSource).latestOutcome(username));
    }

    @Test
    void gafaelfawrDownIsBadGateway() {
        // Authenticate once while Gafaelfawr is up, so that the failure below is the token POST's.
        given().header("Authorization", "Bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                .contentType("application/json").body("{\"username\": \"not-a-bot\"}")
                .when().post("/service-tokens").then().statusCode(422);
        gafaelfawr.stop();
        try {
            issue().statusCode(502)
                    .contentType("application/problem+json")
                    .body("type", containsString("upstream-unreachable"));
            assertAudited("failed/-");
        } finally {
            gafaelfawr.start();
        }
    }

    @Test
    void slowGafaelfawrIsGatewayTimeoutAndNotRetried() {
        tokensAnswer(aResponse().withStatus(201).withFixedDelay(2500).withBody("{}"));
        issue().statusCode(504).contentType("application/problem+json")
                .body("type", containsString("upstream-timeout"))
                .body("detail", containsString("timeout"));
        assertPostedOnce();
        assertAudited("unknown/-");
    }

    @Test
    void serverErrorIsBadGatewayAndNotRetried() {
        tokensAnswer(aResponse().withStatus(500).withBody("Internal Server Error"));
        issue().statusCode(502).body("type", containsString("upstream-failure"))
                .body("detail", containsString("500"));
        assertPostedOnce();
        assertAudited("unknown/-");
    }

    @Test
    void droppedConnectionIsBadGatewayAndNotRetried() {
        tokensAnswer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        issue().statusCode(502);
        assertPostedOnce();
        assertAudited("unknown/-");
    }

    @Test
    void refusalCarriesGafaelfawrsMessageButNotItsEcho() {
        tokensAnswer(WireMockGafaelfawr.json(422, "{\"detail\": [{\"loc\": [\"body\", \"scopes\"], \"msg\": \"Unknown scopes requested\","
                        + " \"type\": \"invalid_scopes\", \"input\": [\"echoed-input-value\"]}]}"));
        issue().statusCode(502).contentType("application/problem+json")
                .body("type", containsString("upstream-refused"))
                .body("detail", containsString("Unknown scopes requested (at body.scopes)"))
                .body("detail", not(containsString("echoed-input-value")));
        assertPostedOnce();
        assertAudited("failed/-");
    }

    @Test
    void garbageBodyIsBadGateway() {
        tokensAnswer(WireMockGafaelfawr.json(201, "<html>ok"));
        issue().statusCode(502).body("type", containsString("upstream-failure"));
        assertPostedOnce();
        assertAudited("unknown/-");
    }

    @Test
    void malformedTokenIsBadGateway() {
        tokensAnswer(WireMockGafaelfawr.json(201, "{\"token\": \"gt-short.token\"}"));
        issue().statusCode(502).body("detail", containsString("well-formed"));
        assertPostedOnce();
        assertAudited("unknown/-");
    }

    @Test
    void anUnreadable201WhoseLocationNamesAKeyHasThatKeyRevoked() {
        String revoke = "/auth/api/v1/users/bot-upstream-faults/tokens/" + WireMockGafaelfawr.MINTED_KEY;
        gafaelfawr.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlEqualTo(revoke))
                .willReturn(aResponse().withStatus(204)));
        tokensAnswer(WireMockGafaelfawr.json(201, "{\"token\": \"not a token\"}").withHeader("Location", revoke));
        issue().statusCode(502).body("type", containsString("upstream-failure"))
                .body(not(containsString(WireMockGafaelfawr.MINTED_KEY + ".")));
        assertPostedOnce();
        gafaelfawr.verify(1, com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlEqualTo(revoke)));
        assertAudited("compensated/" + WireMockGafaelfawr.MINTED_KEY);
    }

    @Test
    void aLocationNamingAnotherKeyRevokesTheMintedOne() {
        String revoke = "/auth/api/v1/users/bot-upstream-faults/tokens/" + WireMockGafaelfawr.MINTED_KEY;
        gafaelfawr.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete(urlEqualTo(revoke))
                .willReturn(aResponse().withStatus(204)));
        tokensAnswer(WireMockGafaelfawr.minted()
                .withHeader("Location", "/auth/api/v1/users/bot-upstream-faults/tokens/another-key-0000000000"));
        issue().statusCode(502).body(not(containsString(WireMockGafaelfawr.MINTED_TOKEN)));
        gafaelfawr.verify(1, com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlEqualTo(revoke)));
        assertAudited("compensated/" + WireMockGafaelfawr.MINTED_KEY);
    }

    @Test
    void rejectedAdminTokenIsServiceUnavailable() {
        tokensAnswer(WireMockGafaelfawr.json(401, "{\"detail\": [{\"msg\": \"Token is not valid\", \"type\": \"invalid_token\"}]}"));
        issue().statusCode(503).body("type", containsString("broker-credential-rejected"))
                .body("detail", containsString("admin token"));
        assertPostedOnce();
        assertAudited("failed/-");
    }

    @Test
    void underScopedAdminTokenIsServiceUnavailable() {
        tokensAnswer(WireMockGafaelfawr.json(403, "{\"detail\": [{\"msg\": \"Token does not have required scope admin:token\","
                        + " \"type\": \"permission_denied\"}]}"));
        issue().statusCode(503).body("detail", containsString("admin:token"));
        assertPostedOnce();
    }

    @Test
    void forbiddenUsernameIsBadGatewayWithTheReason() {
        tokensAnswer(WireMockGafaelfawr.json(403, "{\"detail\": [{\"msg\": \"Username \\\"x\\\" must start with \\\"bot-\\\"\","
                        + " \"type\": \"permission_denied\"}]}"));
        issue().statusCode(502).body("type", containsString("upstream-refused"))
                .body("detail", containsString("must start with"));
        assertPostedOnce();
    }

    @Test
    void tokenInfoOutageIsBadGatewayNotUnauthorized() {
        gafaelfawr.resetAll();
        gafaelfawr.stubFor(WireMock.get(urlEqualTo("/auth/api/v1/token-info"))
                .willReturn(aResponse().withStatus(503)));
        String uncachedCaller = "gt-uncached-caller-key-01.uncached-caller-secret";
        assertTrue(GafaelfawrToken.parse(uncachedCaller).isPresent());
        given().header("Authorization", "Bearer " + uncachedCaller)
                .contentType("application/json").body(BODY)
                .when().post("/service-tokens")
                .then().statusCode(502).contentType("application/problem+json");
        assertEquals(0, gafaelfawr.countRequestsMatching(postRequestedFor(urlEqualTo(TOKENS)).build()).getCount());
    }
}
