package dev.tokenbroker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.EmulatorTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-picked inputs that once broke the broker (500s, CPU, silent coercion, a broken chain). */
@QuarkusTest
class HostileInputTest {

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @Inject
    EmulatorState emulator;

    ValidatableResponse post(String body) {
        return given().header("Authorization", "bearer " + demoToken).contentType("application/json").body(body)
                .when().post("/service-tokens").then();
    }

    /** Posts a request that must be refused with a problem document, and proves nothing reached Gafaelfawr. */
    ValidatableResponse refused(String body, int status) {
        long before = emulator.createRequests();
        ValidatableResponse response = post(body).statusCode(status).contentType("application/problem+json");
        assertEquals(before, emulator.createRequests(), "a refused request reached Gafaelfawr");
        return response;
    }

    @ParameterizedTest
    @ValueSource(strings = {"[null]", "[\"write:sasquatch\", null]", "[{\"a\": 1}]", "[12]", "[true]", "[[\"x\"]]"})
    void scopesMustHoldStringsOnly(String scopes) {
        refused("{\"username\": \"bot-hostile\", \"scopes\": " + scopes + "}", 400)
                .body("errors.field", hasItem(containsString("scopes")));
    }

    /** Each once cost seconds of CPU or an overflow; now the lifetime rule refuses it at once. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1e300000000                     | expires-too-late",
        "-1e300000000                    | expires-past",
        "1e-300000000                    | expires-past",
        "-352154238457667163             | expires-past",
        "999999999999999999              | expires-too-late",
        "'\"+300000000-01-01T00:00:00Z\"' | expires-too-late"})
    void hugeOrTinyExpiriesBreakTheLifetimeRule(String expires, String rule) {
        refused("{\"username\": \"bot-hostile\", \"expires\": " + expires + "}", 422)
                .body("errors.rule", hasItem(rule));
    }

    @Test
    void duplicateKeysAreRefused() {
        refused("{\"username\": \"bot-a\", \"username\": \"bot-b\"}", 400)
                .body("type", containsString("malformed-json"))
                .body("detail", containsString("username"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"username\": \"bot-coerced\", \"name\": 12}",
        "{\"username\": \"bot-coerced\", \"name\": true}",
        "{\"username\": 12}",
        "{\"username\": \"bot-coerced\", \"token_type\": false}",
        "{\"username\": \"bot-coerced\", \"expires\": true}"})
    void numbersAndBooleansAreNotStrings(String body) {
        refused(body, 400).body("errors.rule", hasItem("json-type"));
    }

    @Test
    void trailingContentAfterTheObjectIsRefused() {
        refused("{\"username\": \"bot-trailing\"} {\"username\": \"bot-other\"}", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bot\u0000x", "line\nbreak", "bell\u0007", "del\u007f"})
    void controlCharactersInTheNameAreARule(String name) {
        String escaped = name.chars().mapToObj(c -> c < 0x20 || c == 0x7f ? String.format("\\u%04x", c)
                : Character.toString(c)).reduce("", String::concat);
        refused("{\"username\": \"bot-ctl\", \"name\": \"" + escaped + "\"}", 422)
                .body("errors.rule", hasItem("name-characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"since=9999999999999999", "until=9999999999999999", "since=-9999999999999999",
        "since=-352154238457667163", "until=352154238457667163", "since=999999999999999999",
        "since=%2B300000000-01-01T00:00:00Z", "until=-300000000-01-01T00:00:00Z"})
    void outOfRangeAuditQueryTimesAreBadRequests(String query) {
        given().header("Authorization", "bearer " + demoToken)
                .when().get("/audit/events?" + query)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.rule", hasItem("query-parameter"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"username=%00", "caller=a%00b", "token_key=%00", "username=%01x"})
    void controlCharactersInAuditFiltersAreBadRequests(String query) {
        given().header("Authorization", "bearer " + demoToken).urlEncodingEnabled(false)
                .when().get("/audit/events?" + query)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.rule", hasItem("query-parameter"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%00", "a%00aaaaaaaaaaaaaaaaaaaa", "short"})
    void keysThatCannotBeTokenKeysAreNotFound(String key) {
        given().header("Authorization", "bearer " + demoToken)
                .urlEncodingEnabled(false)
                .when().get("/service-tokens/" + key)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aDeniedRequestWithOddScopesKeepsTheChainIntact() {
        refused("{\"username\": \"bot-x\", \"scopes\": [\"write:sasquatch\", \"\"]}", 403);
        refused("{\"username\": \"bot-x\", \"scopes\": [\"a b\", \" \", \"write:sasquatch\"]}", 403);
        String auditor = EmulatorTokens.person(emulator, "auditor-hostile", "admin:token");
        given().header("Authorization", "bearer " + auditor).when().get("/audit/verify")
                .then().statusCode(200).body("intact", equalTo(true));
        given().header("Authorization", "bearer " + auditor)
                .when().get("/audit/events?username=bot-x&outcome=denied&limit=1")
                .then().statusCode(200).body("[0].scopes", equalTo(java.util.List.of("a b", " ", "write:sasquatch")));
    }
}
