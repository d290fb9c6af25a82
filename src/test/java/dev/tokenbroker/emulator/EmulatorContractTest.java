package dev.tokenbroker.emulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Replays docs/gafaelfawr-contract.md against the emulator, so that it stays faithful. */
@QuarkusTest
class EmulatorContractTest {

    static final String API = "/emulator/auth/api/v1";

    @ConfigProperty(name = "emulator.admin-token")
    String adminToken;

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @Inject
    EmulatorState state;

    RequestSpecification admin() {
        return given().header("Authorization", "bearer " + adminToken);
    }

    ValidatableResponse create(String json) {
        return admin().contentType("application/json").body(json).when().post(API + "/tokens").then();
    }

    String mint(String username) {
        return create("{\"username\": \"" + username + "\", \"token_type\": \"service\", \"scopes\": [\"write:sasquatch\"]}")
                .statusCode(201).extract().path("token");
    }

    /** 9.6.1 and 15.x: an expired token is refused, but listed, readable and deletable until maintenance purges it. */
    @Test
    void expiredTokensStayListedUntilPurged() {
        String username = "bot-expired-" + Long.toString(System.nanoTime(), 36);
        EmulatedToken expired = new EmulatedToken("expiredexpiredexpired" + (char) ('a' + (int) (System.nanoTime() % 26)),
                "expiredsecretexpiredse", username, "service", List.of("write:sasquatch"), state.now() - 3600,
                state.now() - 60, null);
        state.put(expired);
        given().header("Authorization", "bearer " + expired.value()).when().get(API + "/token-info").then()
                .statusCode(401).body("detail[0].msg", equalTo("Token is not valid"));
        admin().when().get(API + "/users/" + username + "/tokens").then().statusCode(200)
                .body("token", equalTo(List.of(expired.key()))).body("[0].expires", equalTo((int) expired.expires().longValue()));
        admin().when().get(API + "/users/" + username + "/tokens/" + expired.key()).then().statusCode(200);
        assertTrue(state.purgeExpired() >= 1);
        admin().when().get(API + "/users/" + username + "/tokens").then().statusCode(200).body("$", hasSize(0));
        admin().queryParam("username", username).when().get(API + "/history/token-changes").then().statusCode(200)
                .body("action", hasItem("expire"));
        String kept = mint(username);
        admin().when().delete(API + "/users/" + username + "/tokens/" + kept.substring(3, 25)).then().statusCode(204);
    }

    /** History entries always carry expires: the sent value, or null for a token that never expires. */
    @Test
    void historyEntriesAlwaysCarryExpires() {
        String username = "bot-history-" + Long.toString(System.nanoTime(), 36);
        mint(username);
        admin().queryParam("username", username).when().get(API + "/history/token-changes").then().statusCode(200)
                .body("[0].containsKey('expires')", equalTo(true)).body("[0].expires", nullValue());
    }

    // --- Authentication on every route -------------------------------------------------------

    @Test
    void noCredentialsIsAnObjectDetailWithAChallenge() {
        given().when().get(API + "/token-info").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm="))
                .header("Cache-Control", "no-cache, no-store")
                .body("detail.msg", equalTo("Authentication required"))
                .body("detail.type", equalTo("no_authorization"));
    }

    @Test
    void malformedHeaderIsForbiddenWithErrorStatus400() {
        for (String header : List.of("Bearer", "Digest abc", "Token " + demoToken)) {
            given().header("Authorization", header).when().get(API + "/token-info").then().statusCode(403)
                    .header("X-Error-Status", "400")
                    .body("detail[0].type", equalTo("invalid_request"));
        }
    }

    @Test
    void tokenFormIsChecked() {
        given().header("Authorization", "Bearer abc").when().get(API + "/token-info").then().statusCode(401)
                .body("detail[0].type", equalTo("invalid_token"))
                .body("detail[0].msg", equalTo("Token does not start with gt-"));
        given().header("Authorization", "Bearer gt-abc.def").when().get(API + "/token-info").then().statusCode(401)
                .body("detail[0].msg", equalTo("Token is malformed"));
        given().header("Authorization", "Bearer " + demoToken.substring(0, 26) + "x".repeat(22))
                .when().get(API + "/token-info").then().statusCode(401)
                .header("Cache-Control", "no-cache, no-store")
                .body("detail[0].msg", equalTo("Token is not valid"));
    }

    @Test
    void schemeIsCaseInsensitiveAndBasicWorks() {
        for (String scheme : List.of("bearer", "Bearer", "BEARER")) {
            given().header("Authorization", scheme + " " + demoToken).when().get(API + "/token-info")
                    .then().statusCode(200).body("username", equalTo("demo-user"));
        }
        for (String pair : List.of(demoToken + ":x-oauth-basic", "x-oauth-basic:" + demoToken)) {
            String basic = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            given().header("Authorization", "Basic " + basic).when().get(API + "/token-info")
                    .then().statusCode(200).body("username", equalTo("demo-user"));
        }
    }

    @Test
    void missingScopeIsForbiddenWithoutAChallenge() {
        given().header("Authorization", "Bearer " + demoToken).contentType("application/json")
                .body("{\"username\": \"bot-x\", \"token_type\": \"service\"}")
                .when().post(API + "/tokens").then().statusCode(403)
                .header("WWW-Authenticate", nullValue())
                .body("detail[0].type", equalTo("permission_denied"));
    }

    // --- POST /tokens -------------------------------------------------------------------------

    @Test
    void invalidJsonIsRefusedEvenBeforeAuthentication() {
        given().contentType("application/json").body("{not json").when().post(API + "/tokens").then()
                .statusCode(422).body("detail[0].type", equalTo("json_invalid"));
    }

    @Test
    void bodyWithoutJsonContentTypeIsNotParsed() {
        admin().contentType("text/plain").body("{\"username\": \"bot-x\", \"token_type\": \"service\"}")
                .when().post(API + "/tokens").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body")));
    }

    @Test
    void createsAServiceTokenWithLocation() {
        Response response = admin().contentType("application/json")
                .body("{\"username\": \"bot-contract\", \"name\": \"Contract\", \"token_type\": \"service\","
                        + " \"scopes\": [\"write:sasquatch\", \"write:sasquatch\"], \"email\": null, \"extra\": 1}")
                .when().post(API + "/tokens");
        response.then().statusCode(201).body("token", startsWith("gt-"));
        String token = response.path("token");
        String key = token.substring(3, 25);
        assertEquals("/auth/api/v1/users/bot-contract/tokens/" + key, response.header("Location"));
        given().header("Authorization", "Bearer " + token).when().get(API + "/token-info").then().statusCode(200)
                .body("token", equalTo(key))
                .body("token_type", equalTo("service"))
                .body("scopes", equalTo(List.of("write:sasquatch")))
                .body("$", not(org.hamcrest.Matchers.hasKey("expires")));
        given().header("Authorization", "Bearer " + token).when().get(API + "/user-info").then().statusCode(200)
                .body("username", equalTo("bot-contract"))
                .body("name", equalTo("Contract"))
                .body("groups", hasSize(0));
    }

    @Test
    void usernameRulesSplitBetween422And403() {
        for (String invalid : List.of("a1", "a-b", "1234567", "-x", "x-", "x--y", "Bot-x", "bot_a", "bot-a\n",
                "b" + "o".repeat(64))) {
            create("{\"username\": \"" + invalid.replace("\n", "\\n") + "\", \"token_type\": \"service\"}")
                    .statusCode(422).body("detail[0].loc", equalTo(List.of("body", "username")));
        }
        for (String notBot : List.of("alice", "bot", "robot-x")) {
            create("{\"username\": \"" + notBot + "\", \"token_type\": \"service\"}").statusCode(403)
                    .body("detail[0].type", equalTo("permission_denied"))
                    .body("detail[0].msg", equalTo("Username \"" + notBot + "\" must start with \"bot-\""))
                    .body("detail[0].loc", nullValue()); // 15.x: no loc, a client can only match the message
        }
        for (String invalidBot : List.of("bot-", "bot--x", "bot-x-")) {
            create("{\"username\": \"" + invalidBot + "\", \"token_type\": \"service\"}").statusCode(422);
        }
    }

    @Test
    void tokenTypeAndNameRules() {
        create("{\"username\": \"bot-x\", \"token_type\": \"session\"}").statusCode(422);
        create("{\"username\": \"bot-x\"}").statusCode(422).body("detail.loc", hasItem(List.of("body", "token_type")));
        create("{\"username\": \"bot-x\", \"token_type\": \"service\", \"token_name\": \"n\"}").statusCode(422);
        create("{\"username\": \"alice\", \"token_type\": \"user\"}").statusCode(422);
        create("{\"username\": \"alice\", \"token_type\": \"user\", \"token_name\": \"laptop\"}").statusCode(201);
    }

    @Test
    void scopesMustBeKnownAndNeverNull() {
        create("{\"username\": \"bot-x\", \"token_type\": \"service\", \"scopes\": [\"write:nothing\"]}")
                .statusCode(422)
                .body("detail[0].type", equalTo("invalid_scopes"))
                .body("detail[0].msg", equalTo("Unknown scopes requested"))
                .body("detail[0].loc", equalTo(List.of("body", "scopes")));
        create("{\"username\": \"bot-x\", \"token_type\": \"service\", \"scopes\": null}").statusCode(422);
        String god = create("{\"username\": \"bot-god\", \"token_type\": \"service\", \"scopes\": [\"admin:token\"]}")
                .statusCode(201).extract().path("token");
        assertTrue(god.startsWith("gt-"), "the admin token may mint any known scope, as Gafaelfawr allows");
    }

    @Test
    void expiryHasAFiveMinuteFloorAndAcceptsIsoOrEpoch() {
        long now = state.now();
        create("{\"username\": \"bot-x\", \"token_type\": \"service\", \"expires\": " + (now + 240) + "}")
                .statusCode(422)
                .body("detail[0].type", equalTo("invalid_expires"))
                .body("detail[0].loc", equalTo(List.of("body", "expires")));
        create("{\"username\": \"bot-x\", \"token_type\": \"service\", \"expires\": " + (now + 600) + "}").statusCode(201);
        String iso = java.time.Instant.ofEpochSecond(now + 3600).toString();
        String token = create("{\"username\": \"bot-x\", \"token_type\": \"service\", \"expires\": \"" + iso + "\"}")
                .statusCode(201).extract().path("token");
        given().header("Authorization", "Bearer " + token).when().get(API + "/token-info").then()
                .body("expires", equalTo((int) (now + 3600)));
    }

    // --- Tokens of one user ---------------------------------------------------------------------

    @Test
    void listGetAndRevoke() {
        String first = mint("bot-lister");
        String second = mint("bot-lister");
        String secondKey = second.substring(3, 25);
        admin().when().get(API + "/users/bot-lister/tokens").then().statusCode(200)
                .body("token", hasItem(secondKey))
                .body("size()", equalTo(2));
        admin().when().get(API + "/users/bot-lister/tokens/" + secondKey).then().statusCode(200)
                .body("username", equalTo("bot-lister"));
        admin().when().get(API + "/users/someone-else/tokens/" + secondKey).then().statusCode(404)
                .body("detail[0].type", equalTo("not_found"))
                .body("detail[0].loc", equalTo(List.of("path", "key")));
        admin().when().get(API + "/users/bot-lister/tokens/short").then().statusCode(422);
        admin().when().delete(API + "/users/bot-lister/tokens/" + secondKey).then().statusCode(204);
        admin().when().delete(API + "/users/bot-lister/tokens/" + secondKey).then().statusCode(404);
        given().header("Authorization", "Bearer " + second).when().get(API + "/token-info").then().statusCode(401);
        given().header("Authorization", "Bearer " + first).when().get(API + "/token-info").then().statusCode(200);
    }

    @Test
    void othersMayNotListYourTokens() {
        given().header("Authorization", "Bearer " + demoToken).when().get(API + "/users/bot-lister/tokens")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + demoToken).when().get(API + "/users/demo-user/tokens")
                .then().statusCode(200);
    }

    // --- Change history -------------------------------------------------------------------------

    @Test
    void historyFiltersAndPaginates() {
        for (int i = 0; i < 5; i++) {
            mint("bot-historian");
        }
        admin().queryParam("username", "bot-historian").when().get(API + "/history/token-changes").then()
                .statusCode(200).body("size()", equalTo(5))
                .body("action", everyItem("create"))
                .body("actor", everyItem("bot-service-token-broker"));
        Response page1 = admin().queryParam("username", "bot-historian").queryParam("limit", 2)
                .when().get(API + "/history/token-changes");
        page1.then().statusCode(200).header("X-Total-Count", "5").body("size()", equalTo(2))
                .header("Link", containsString("rel=\"first\""))
                .header("Link", containsString("rel=\"next\""))
                .header("Link", not(containsString("rel=\"prev\"")));
        String next = link(page1.header("Link"), "next");
        assertTrue(next.startsWith("http://"), "Link URLs are absolute");
        Response page2 = admin().when().get(next);
        page2.then().statusCode(200).body("size()", equalTo(2)).header("Link", containsString("rel=\"prev\""));
        List<String> keys1 = page1.path("token");
        List<String> keys2 = page2.path("token");
        assertTrue(keys1.stream().noneMatch(keys2::contains), "pages do not overlap");
        Response back = admin().when().get(link(page2.header("Link"), "prev"));
        assertEquals(keys1, back.path("token"));

        admin().queryParam("cursor", "nonsense").when().get(API + "/history/token-changes").then().statusCode(422);
        admin().queryParam("limit", 0).when().get(API + "/history/token-changes").then().statusCode(422);
        admin().queryParam("ip_address", "127.0.0.0/8").queryParam("username", "bot-historian")
                .when().get(API + "/history/token-changes").then().body("size()", equalTo(5));
        admin().queryParam("ip_address", "10.0.0.0/8").queryParam("username", "bot-historian")
                .when().get(API + "/history/token-changes").then().body("size()", equalTo(0));
        given().header("Authorization", "Bearer " + demoToken).when().get(API + "/history/token-changes")
                .then().statusCode(403);
    }

    static org.hamcrest.Matcher<Iterable<? extends String>> everyItem(String value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }

    static String link(String header, String rel) {
        for (String part : header.split(",\\s*")) {
            if (part.endsWith("rel=\"" + rel + "\"")) {
                return part.substring(part.indexOf('<') + 1, part.indexOf('>'));
            }
        }
        throw new AssertionError("no " + rel + " link in " + header);
    }
}
