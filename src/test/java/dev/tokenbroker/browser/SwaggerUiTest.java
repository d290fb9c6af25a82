package dev.tokenbroker.browser;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.support.SwaggerUiBrowser;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A person's first visit, in headless Chromium against the running application (the
 * emulator behind it): Swagger UI, Authorize with the demo caller token, Try it out on
 * POST /service-tokens, Execute, and a 201 with a token on the page that the broker
 * then describes. The screenshot stays in target/swagger-ui/.
 */
@QuarkusTest
class SwaggerUiTest {

    static final Pattern KEY = Pattern.compile("\"key\": \"([A-Za-z0-9_-]{22})\"");

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aPersonMintsATokenFromSwaggerUi() {
        String bot = "bot-swagger-ui-" + System.nanoTime();
        SwaggerUiBrowser.Answer answer;
        try (SwaggerUiBrowser browser = SwaggerUiBrowser.open()) {
            answer = browser.authorize("http://localhost:" + port + "/q/swagger-ui/", demoToken)
                    .tryItOut("issueServiceToken", "{\"username\": \"" + bot + "\", \"scopes\": [\"write:sasquatch\"]}",
                            "dev-app-issue");
        }
        assertEquals("201", answer.status(), answer.body());
        assertTrue(answer.body().contains("\"token\": \"gt-"), answer.body());
        assertTrue(Files.exists(answer.screenshot()));
        Matcher key = KEY.matcher(answer.body());
        assertTrue(key.find(), answer.body());
        given().header("Authorization", "Bearer " + demoToken).when().get("/service-tokens/" + key.group(1))
                .then().statusCode(200).body("username", equalTo(bot));
    }
}
