package dev.tokenbroker.audit;

import dev.tokenbroker.support.EmulatorTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.emulator.EmulatorState;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /audit/events: filters, pages, and who sees what. */
@QuarkusTest
class AuditQueryTest {

    @Inject
    EmulatorState emulator;

    String auditor;
    String bob;
    String carol;
    String target;

    @BeforeEach
    void issueSome() {
        auditor = person("auditor", "admin:token");
        bob = person("bob", "write:sasquatch");
        carol = person("carol", "write:sasquatch");
        target = "bot-query-" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        for (int i = 0; i < 3; i++) {
            issue(bob, "{\"username\": \"" + target + "\"}", 201);
        }
        // bob claimed the bot with his first mint; carol becomes an owner too (one more record).
        as(bob).contentType("application/json").body("{\"users\": [\"bob\", \"carol\"]}")
                .when().put("/bots/" + target + "/owners").then().statusCode(200);
        issue(carol, "{\"username\": \"" + target + "\"}", 201);
        issue(carol, "{\"username\": \"" + target + "\", \"scopes\": [\"read:tap\"]}", 403);
    }

    String person(String username, String scope) {
        return EmulatorTokens.person(emulator, username, scope);
    }

    static void issue(String token, String body, int status) {
        given().header("Authorization", "bearer " + token).contentType("application/json").body(body)
                .when().post("/service-tokens").then().statusCode(status);
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "bearer " + token);
    }

    @Test
    void auditorsFilterEverything() {
        as(auditor).queryParam("username", target).when().get("/audit/events").then().statusCode(200)
                .body("size()", equalTo(11)) // 3 + 1 mints of 2 records, a claim, new owners, a denial
                .body("username", everyItem(equalTo(target)));
        as(auditor).queryParam("username", target).queryParam("outcome", "issued").when().get("/audit/events").then()
                .body("size()", equalTo(4))
                .body("caller", hasItem("carol"))
                .body("token_key", everyItem(org.hamcrest.Matchers.matchesPattern("^[A-Za-z0-9_-]{22}$")));
        as(auditor).queryParam("username", target).queryParam("caller", "carol").queryParam("outcome", "denied")
                .when().get("/audit/events").then().body("size()", equalTo(1))
                .body("[0].reason", containsString("scope-not-allowed"));
    }

    @Test
    void aTokenKeyFindsItsIssuance() {
        String key = as(auditor).queryParam("username", target).queryParam("outcome", "issued").queryParam("limit", 1)
                .when().get("/audit/events").then().extract().path("[0].token_key");
        as(auditor).queryParam("token_key", key).when().get("/audit/events").then()
                .body("size()", equalTo(1)).body("[0].outcome", equalTo("issued"));
    }

    @Test
    void theLocationOfAnIssuanceDescribesItWithoutTheSecret() {
        Response issued = as(bob).contentType("application/json").body("{\"username\": \"" + target + "\"}")
                .when().post("/service-tokens");
        issued.then().statusCode(201);
        String location = issued.header("Location");
        String secret = issued.<String>path("token").substring(26);
        as(bob).when().get(location).then().statusCode(200)
                .body("key", equalTo(issued.path("key")))
                .body("username", equalTo(target))
                .body("requested_by", equalTo("bob"))
                .body("audit_id", equalTo(issued.path("audit_id")))
                .body(org.hamcrest.Matchers.not(containsString(secret)));
        as(auditor).when().get(location).then().statusCode(200);
        as(carol).when().get(location).then().statusCode(200); // a co-owner of the bot
        as(person("dave", "write:sasquatch")).when().get(location).then().statusCode(404)
                .contentType("application/problem+json");
        as(bob).when().get("/service-tokens/unknownunknownunknown1").then().statusCode(404);
        given().when().get(location).then().statusCode(401);
    }

    @Test
    void othersSeeOnlyWhatTheyCaused() {
        as(bob).queryParam("username", target).when().get("/audit/events").then().statusCode(200)
                .body("size()", equalTo(8)) // his 3 mints, his claim and his change of owners
                .body("caller", everyItem(equalTo("bob")));
        as(bob).queryParam("caller", "carol").when().get("/audit/events").then().statusCode(403)
                .contentType("application/problem+json");
        as(bob).when().get("/audit/verify").then().statusCode(403);
    }

    @Test
    void pagesFollowTheLinkHeaderNewestFirst() {
        List<Integer> seen = new ArrayList<>();
        String url = "/audit/events?username=" + target + "&limit=4";
        int pages = 0;
        while (url != null) {
            Response page = as(auditor).when().get(url);
            page.then().statusCode(200);
            seen.addAll(page.path("seq"));
            String link = page.header("Link");
            url = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            pages++;
        }
        assertEquals(11, seen.size());
        assertEquals(3, pages, "4 + 4 + 3");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i - 1) > seen.get(i), "newest first: " + seen);
        }
    }

    @Test
    void behindTheIngressTheClientIsTheRealOneAndLinksStayRelative() {
        as(bob).header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "data.example.org").contentType("application/json")
                .body("{\"username\": \"" + target + "\"}").when().post("/service-tokens").then().statusCode(201);
        as(auditor).queryParam("username", target).queryParam("limit", 1).header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "data.example.org")
                .when().get("/audit/events").then().statusCode(200)
                .body("[0].client_address", equalTo("203.0.113.7"))
                .header("Link", org.hamcrest.Matchers.startsWith("</audit/events?"));
    }

    @Test
    void timeWindowsAreInclusive() {
        Instant now = Instant.now();
        as(auditor).queryParam("username", target).queryParam("since", now.minusSeconds(600).toString())
                .queryParam("until", now.getEpochSecond() + 5).when().get("/audit/events").then()
                .body("size()", equalTo(11));
        as(auditor).queryParam("username", target).queryParam("until", now.minusSeconds(600).getEpochSecond())
                .when().get("/audit/events").then().body("size()", equalTo(0));
    }

    @Test
    void badParametersAreProblemsNamingTheField() {
        as(auditor).queryParam("limit", 501).when().get("/audit/events").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        as(auditor).queryParam("outcome", "great").when().get("/audit/events").then().statusCode(400)
                .body("errors[0].field", equalTo("outcome"));
        as(auditor).queryParam("since", "yesterday").when().get("/audit/events").then().statusCode(400)
                .body("errors[0].field", equalTo("since"));
        as(auditor).queryParam("cursor", "-3").when().get("/audit/events").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        given().when().get("/audit/events").then().statusCode(401);
    }
}
