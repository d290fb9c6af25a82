package dev.tokenbroker.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenbroker.support.WireMockGafaelfawr;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar launched by Quarkus itself, under the traffic it meets in production: mints,
 * reads, refusals, audit queries, verification, health and metrics. Besides checking each answer,
 * this is the workload that trains the AOT cache when the build runs with {@code -Paot} (JDK 25).
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = PackagedUpstream.class, restrictToAnnotatedClass = true)
class ServedWorkloadIT {

    private static final String ROOT = PackagedBroker.ROOT_PATH;
    private static final int MINTS = 200;

    @Test
    void servesTheWholeIssuancePath() throws Exception {
        String username = "bot-workload-" + System.nanoTime();
        List<String> keys = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> mints = new ArrayList<>();
            for (int i = 0; i < MINTS; i++) {
                mints.add(callers.submit(() -> mint(username)));
            }
            for (Future<String> mint : mints) {
                keys.add(mint.get());
            }
        } finally {
            callers.shutdownNow();
        }
        for (String key : keys.subList(0, 50)) {
            caller().when().get(ROOT + "/service-tokens/" + key)
                    .then().statusCode(200).body("username", equalTo(username));
        }
        for (int i = 0; i < 50; i++) {
            caller().contentType("application/json").body("{\"username\": \"not-a-bot\", \"scopes\": [null]}")
                    .when().post(ROOT + "/service-tokens").then().statusCode(400)
                    .contentType("application/problem+json");
            caller().contentType("application/json").body("{\"username\": \"bot-x\", \"scopes\": [\"admin:token\"]}")
                    .when().post(ROOT + "/service-tokens").then().statusCode(403);
        }
        auditor().queryParam("username", username).queryParam("outcome", "issued").queryParam("limit", 500)
                .when().get(ROOT + "/audit/events").then().statusCode(200).body("size()", equalTo(MINTS));
        auditor().when().get(ROOT + "/audit/verify").then().statusCode(200).body("intact", equalTo(true));
        given().when().get(ROOT + "/q/openapi").then().statusCode(200);
        // Health and metrics answer on the management port only, never under the public root path.
        given().port(PackagedUpstream.MANAGEMENT_PORT).when().get("/q/health/ready").then().statusCode(200);
        given().when().get(ROOT + "/q/health/ready").then().statusCode(404);
        given().when().get(ROOT + "/q/metrics").then().statusCode(404);
        String metrics = given().port(PackagedUpstream.MANAGEMENT_PORT).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
        assertEquals(true, metrics.contains("broker_tokens_issued_total " + MINTS + ".0"), "every mint is counted");
    }

    private static String mint(String username) {
        return caller().contentType("application/json").body("{\"username\": \"" + username + "\"}")
                .when().post(ROOT + "/service-tokens")
                .then().statusCode(201).body("scopes", hasItem("write:sasquatch"))
                .extract().path("key");
    }

    private static io.restassured.specification.RequestSpecification caller() {
        return given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN);
    }

    private static io.restassured.specification.RequestSpecification auditor() {
        return given().header("Authorization", "bearer " + PackagedUpstream.AUDITOR_TOKEN);
    }
}
