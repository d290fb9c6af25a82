package dev.tokenbroker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API documents itself: every route, schema, error and the bearer scheme. */
@QuarkusTest
class OpenApiTest {

    static ValidatableResponse document() {
        return given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void describesIssuanceWithEveryAnswer() {
        String operation = "paths.'/service-tokens'.post";
        ValidatableResponse doc = document();
        for (String status : List.of("201", "400", "401", "403", "413", "415", "422", "502", "503", "504")) {
            doc.body(operation + ".responses", hasKey(status));
        }
        doc.body("paths.'/audit/events'.get.responses", hasKey("200"))
                .body("paths.'/audit/verify'.get.responses", hasKey("403"));
        doc.body(operation + ".responses.'422'.$ref", equalTo("#/components/responses/Problem422"))
                .body("components.responses.Problem422.content", hasKey("application/problem+json"))
                .body("paths.'/audit/events'.get.responses.'401'.$ref", equalTo("#/components/responses/Problem401"))
                .body("paths.'/audit/events'.get.responses", not(hasKey("415")))
                .body(operation + ".responses.'201'.headers", hasKey("Location"))
                .body(operation + ".requestBody.content.'application/json'.examples.seed.value", notNullValue())
                .body(operation + ".security[0]", hasKey("gafaelfawr"))
                .body(operation + ".parameters.name", org.hamcrest.Matchers.containsInAnyOrder("X-Request-Id", "Idempotency-Key"));
    }

    @Test
    void declaresTheBearerScheme() {
        document().body("components.securitySchemes.gafaelfawr.type", equalTo("http"))
                .body("components.securitySchemes.gafaelfawr.scheme", equalTo("bearer"));
    }

    @Test
    void schemasCarryExamples() {
        document().body("components.schemas.ServiceTokenRequest.properties.username.examples[0]",
                        equalTo("bot-jenkins-metrics"))
                .body("components.schemas.ServiceTokenIssued.properties", hasKey("requested_by"))
                .body("components.schemas.Problem.properties", hasKey("errors"));
    }

    @Test
    void leavesTheEmulatorOut() {
        document().body("paths", not(hasKey("/emulator/auth/api/v1/tokens")));
    }

    @Test
    void servesSwaggerUi() {
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
