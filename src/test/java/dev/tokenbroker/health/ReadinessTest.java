package dev.tokenbroker.health;

import static dev.tokenbroker.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.tokenbroker.emulator.EmulatedToken;
import dev.tokenbroker.emulator.EmulatorState;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the admin token: revoked in Gafaelfawr (the emulator), the
 * broker turns not-ready with a reason and minting answers 503; restored, it is
 * ready again without a restart. The check runs in the background (every second
 * in tests, 15 s by default), so a probe answers at once even while Gafaelfawr
 * hangs.
 */
@QuarkusTest
class ReadinessTest {

    @ConfigProperty(name = "broker.gafaelfawr.admin-token")
    String adminToken;

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @Inject
    EmulatorState emulator;

    static ValidatableResponse ready() {
        return management().when().get("/q/health/ready").then();
    }

    /** Probes until readiness answers {@code status}, as Kubernetes would, for at most ten seconds. */
    static ValidatableResponse awaitReadiness(int status) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (ready().extract().statusCode() != status && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        return ready().statusCode(status);
    }

    @Test
    void livenessIsUp() {
        management().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readyWhileTheAdminTokenWorksAndTheDatabaseAnswers() {
        awaitReadiness(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("gafaelfawr-admin-token"))
                .body("checks.find { it.name == 'gafaelfawr-admin-token' }.data.token_key",
                        equalTo(adminToken.substring(3, 25)))
                .body("checks.name", hasItem(containsString("Database")))
                .body(not(containsString(adminToken.substring(26))));
    }

    @Test
    void aRevokedAdminTokenTurnsTheBrokerNotReadyUntilItIsBack() {
        String key = adminToken.substring(3, 25);
        EmulatedToken original = emulator.find(key).orElseThrow();
        emulator.revoke(key, "operator", "127.0.0.1");
        try {
            awaitReadiness(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'gafaelfawr-admin-token' }.data.reason",
                            containsString("does not accept the admin token"))
                    .body("checks.find { it.name == 'gafaelfawr-admin-token' }.data.checked_at", notNullValue())
                    .body(not(containsString(adminToken.substring(26))));
            given().header("Authorization", "bearer " + demoToken).contentType("application/json")
                    .body("{\"username\": \"bot-while-revoked\"}").when().post("/service-tokens")
                    .then().statusCode(503).body("type", containsString("broker-credential-rejected"));
        } finally {
            emulator.put(original);
        }
        awaitReadiness(200).body("status", equalTo("UP"));
    }
}
