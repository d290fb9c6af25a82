package dev.tokenbroker.metrics;

import static dev.tokenbroker.support.Management.management;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tokenbroker.support.InjectWireMock;
import dev.tokenbroker.support.WireMockGafaelfawr;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /q/metrics moves across an issuance, a denial and an upstream failure, and carries no usernames or tokens. */
@QuarkusTest
@WithTestResource(WireMockGafaelfawr.class)
class MetricsTest {

    @InjectWireMock
    WireMockServer gafaelfawr;

    @BeforeEach
    void reset() {
        WireMockGafaelfawr.resetToCaller(gafaelfawr);
    }

    static String scrape() {
        return management().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of the samples of {@code name} whose labels contain {@code labels}; 0 when there are none. */
    static double value(String metrics, String name, String labels) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        double sum = 0;
        while (sample.find()) {
            if (labels.isEmpty() || (sample.group(1) != null && sample.group(1).contains(labels))) {
                sum += Double.parseDouble(sample.group(2));
            }
        }
        return sum;
    }

    static void issue(String body, int status) {
        given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN).contentType("application/json")
                .body(body).when().post("/service-tokens").then().statusCode(status);
    }

    @Test
    void countersMoveAcrossIssuanceDenialAndFailure() {
        String before = scrape();
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).willReturn(WireMockGafaelfawr.minted()));
        issue("{\"username\": \"bot-metrics-ok\"}", 201);
        issue("{\"username\": \"not-a-bot\"}", 422);
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).willReturn(aResponse().withStatus(500)));
        issue("{\"username\": \"bot-metrics-fail\"}", 502);
        String after = scrape();

        assertEquals(1, value(after, "broker_tokens_issued_total", "") - value(before, "broker_tokens_issued_total", ""));
        assertEquals(1, value(after, "broker_denials_total", "rule=\"username-bot\"")
                - value(before, "broker_denials_total", "rule=\"username-bot\""));
        assertEquals(1, value(after, "broker_failures_total", "cause=\"bad_response\"")
                - value(before, "broker_failures_total", "cause=\"bad_response\""));
        assertEquals(2, value(after, "broker_gafaelfawr_requests_seconds_count", "route=\"POST /tokens\"")
                - value(before, "broker_gafaelfawr_requests_seconds_count", "route=\"POST /tokens\""), after);
        assertTrue(value(after, "broker_audit_append_seconds_count", "result=\"committed\"")
                >= value(before, "broker_audit_append_seconds_count", "result=\"committed\"") + 5,
                "pending+issued, denied, pending+unknown");
        assertEquals(3, value(after, "broker_caller_cache_total", "") - value(before, "broker_caller_cache_total", ""),
                "each authenticated request looked up the caller cache once");
        assertTrue(value(after, "broker_caller_cache_total", "result=\"hit\"")
                > value(before, "broker_caller_cache_total", "result=\"hit\""), "the caller cache answered");
        for (String forbidden : new String[] {"bot-metrics", "alice", WireMockGafaelfawr.MINTED_KEY,
            WireMockGafaelfawr.CALLER_TOKEN.substring(26), WireMockGafaelfawr.ADMIN_TOKEN.substring(26)}) {
            assertFalse(after.contains(forbidden), "metrics must not carry " + forbidden);
        }
    }

    @Test
    void unauthenticatedRequestsAreCountedByReason() {
        String before = scrape();
        given().header("Authorization", "Basic abc").contentType("application/json").body("{}")
                .when().post("/service-tokens").then().statusCode(401);
        String after = scrape();
        assertEquals(1, value(after, "broker_requests_unauthenticated_total", "reason=\"invalid_request\"")
                - value(before, "broker_requests_unauthenticated_total", "reason=\"invalid_request\""));
    }
}
