package dev.tokenbroker.gafaelfawr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tokenbroker.support.InjectWireMock;
import dev.tokenbroker.support.LogCapture;
import dev.tokenbroker.support.WireMockGafaelfawr;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin token, the caller's token and every minted secret stay out of logs and
 * error bodies, even when Gafaelfawr echoes them back in a failure.
 */
@QuarkusTest
@WithTestResource(WireMockGafaelfawr.class)
class SecretHygieneTest {

    static final String ADMIN_SECRET = WireMockGafaelfawr.ADMIN_TOKEN.substring(26);
    static final String CALLER_SECRET = WireMockGafaelfawr.CALLER_TOKEN.substring(26);
    static final String MINTED_SECRET = WireMockGafaelfawr.MINTED_TOKEN.substring(26);

    @InjectWireMock
    WireMockServer gafaelfawr;

    @BeforeEach
    void reset() {
        WireMockGafaelfawr.resetToCaller(gafaelfawr);
    }

    @Test
    void secretsAppearInNoLogLineAndNoErrorBody() {
        assertEquals(22, ADMIN_SECRET.length());
        List<String> errorBodies = new ArrayList<>();
        try (LogCapture logs = LogCapture.start()) {
            // A successful issuance: the minted secret goes to the caller and nowhere else.
            answer(WireMockGafaelfawr.minted());
            String success = issue(201);
            assertTrue(success.contains(WireMockGafaelfawr.MINTED_TOKEN), "the caller receives the token");

            // Failures whose upstream bodies echo every secret back.
            String echo = "[\"" + WireMockGafaelfawr.ADMIN_TOKEN + "\", \"" + WireMockGafaelfawr.MINTED_TOKEN + "\"]";
            answer(WireMockGafaelfawr.json(422, "{\"detail\": [{\"loc\": [\"body\"], \"msg\": \"bad " + WireMockGafaelfawr.ADMIN_TOKEN
                            + "\", \"type\": \"x\", \"input\": " + echo + "}]}"));
            errorBodies.add(issue(502));
            answer(WireMockGafaelfawr.json(201, "{\"tokens\": " + echo + "}"));
            errorBodies.add(issue(502));
            answer(aResponse().withStatus(500).withBody(echo));
            errorBodies.add(issue(502));
            answer(aResponse().withStatus(401).withBody(echo));
            errorBodies.add(issue(503));
            errorBodies.add(given().header("Authorization", "Bearer " + WireMockGafaelfawr.ADMIN_TOKEN + "x")
                    .contentType("application/json").body("{}").post("/service-tokens")
                    .then().statusCode(401).extract().asString());

            assertFalse(logs.lines().isEmpty(), "the broker logged the issuance and the failures");
            for (String secret : List.of(ADMIN_SECRET, CALLER_SECRET, MINTED_SECRET)) {
                assertEquals(List.of(), logs.linesContaining(secret), "a log line holds a secret");
                errorBodies.forEach(body -> assertFalse(body.contains(secret), "an error body holds a secret: " + body));
            }
            assertFalse(logs.linesContaining(WireMockGafaelfawr.MINTED_KEY).isEmpty(),
                    "the minted token's key, which is public, is logged");
        }
    }

    private void answer(ResponseDefinitionBuilder answer) {
        gafaelfawr.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).willReturn(answer));
    }

    private static String issue(int status) {
        return given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                .contentType("application/json").body("{\"username\": \"bot-hygiene\"}")
                .when().post("/service-tokens")
                .then().statusCode(status).extract().asString();
    }
}
