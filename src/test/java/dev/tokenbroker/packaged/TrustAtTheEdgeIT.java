package dev.tokenbroker.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.support.WireMockGafaelfawr;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 on the packaged jar, as operators run it behind the GafaelfawrIngress: what the
 * ingress says in X-Auth-Request-Service decides and is audited; and a secret sent through
 * any route, in any place, never reaches the JSON log.
 */
class TrustAtTheEdgeIT {

    @RegisterExtension
    static final StandInGafaelfawr gafaelfawr = new StandInGafaelfawr();

    @Test
    void theIngressHeaderDecidesWhoMayCallAndIsAudited() throws Exception {
        String username = "bot-ingress-" + Long.toString(System.nanoTime(), 36);
        try (PackagedBroker broker = PackagedBroker.start(PackagedBroker.withoutQuotas(gafaelfawr.baseUrl()))) {
            broker.awaitListening();
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .header("X-Auth-Request-Service", "portal").contentType("application/json")
                    .body("{\"username\": \"" + username + "\"}").when().post(broker.url("/service-tokens")).then()
                    .statusCode(403).contentType("application/problem+json")
                    .body("errors[0].rule", equalTo("caller-delegated-elsewhere"));
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .header("X-Auth-Request-Service", "portal").when().get(broker.url("/bots")).then()
                    .statusCode(403);
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN)
                    .header("X-Auth-Request-Service", "service-token-broker").contentType("application/json")
                    .body("{\"username\": \"" + username + "\"}").when().post(broker.url("/service-tokens")).then()
                    .statusCode(201);
            given().header("Authorization", "bearer " + PackagedUpstream.AUDITOR_TOKEN)
                    .queryParam("username", username).queryParam("outcome", "issued")
                    .when().get(broker.url("/audit/events")).then().statusCode(200)
                    .body("[0].reason", containsString("presented a token of service service-token-broker"));
        }
    }

    @Test
    void aSecretSentThroughAnyRouteNeverReachesTheLog() throws Exception {
        String secret = "PastedSecretPastedSecr";
        String pasted = "gt-pastedpastedpastedpa." + secret;
        String unknownCaller = "gt-unknowncallerkey00001.UnknownCallerSecret000";
        HttpClient client = HttpClient.newHttpClient();
        int sent = 0;
        String output;
        try (PackagedBroker broker = PackagedBroker.start(PackagedBroker.withoutQuotas(gafaelfawr.baseUrl()))) {
            broker.awaitListening();
            JsonNode paths = new ObjectMapper().readTree(client.send(HttpRequest.newBuilder(
                    URI.create(broker.url("/q/openapi?format=json"))).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).path("paths");
            assertTrue(paths.size() >= 6, "the served document lists the routes: " + paths);
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> route = it.next();
                String path = route.getKey().replaceAll("\\{[^}]+}", pasted);
                for (Iterator<String> methods = route.getValue().fieldNames(); methods.hasNext(); ) {
                    String method = methods.next().toUpperCase();
                    // alice; an unknown token; alice as the ingress says another application presented her token
                    for (String caller : List.of("alice", "unknown", "via-ingress")) {
                        for (String target : variants(path, pasted)) {
                            HttpRequest.Builder request = HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + broker.port + target))
                                    .header("Authorization", "bearer " + (caller.equals("unknown") ? unknownCaller
                                            : WireMockGafaelfawr.CALLER_TOKEN))
                                    .header("X-Request-Id", pasted).header("Idempotency-Key", pasted)
                                    .header("User-Agent", pasted).header("Content-Type", "application/json");
                            if (caller.equals("via-ingress")) {
                                request.header("X-Auth-Request-Service", pasted);
                            }
                            String body = "{\"username\": \"" + pasted + "\", \"name\": \"" + pasted
                                    + "\", \"users\": [\"" + pasted + "\"], \"grace\": \"" + pasted + "\"}";
                            request.method(method, method.equals("GET") || method.equals("DELETE")
                                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
                            HttpResponse<String> answer = client.send(request.build(),
                                    HttpResponse.BodyHandlers.ofString());
                            assertTrue(answer.statusCode() < 500, method + " " + target + ": " + answer.body());
                            assertFalse(answer.body().contains(secret), "the error body echoes the secret: "
                                    + answer.body());
                            sent++;
                        }
                    }
                }
            }
            Thread.sleep(500); // the last request lines
            output = broker.output();
        }
        assertTrue(sent >= 36, "requests sent: " + sent);
        assertTrue(output.contains("pastedpastedpastedpa"), "the requests were logged, keys and all");
        List<String> leaks = new ArrayList<>();
        for (String line : output.split("\n")) {
            for (String needle : List.of(secret, "UnknownCallerSecret000", "wiremock-caller-secret",
                    WireMockGafaelfawr.ADMIN_TOKEN.substring(WireMockGafaelfawr.ADMIN_TOKEN.indexOf('.') + 1))) {
                if (line.contains(needle)) {
                    leaks.add(line);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    /** The path as it is, and with the secret also in a query string, raw and percent-encoded. */
    private static List<String> variants(String path, String pasted) {
        return List.of(path, path + "?cursor=" + pasted + "&username=" + pasted + "&owner=" + pasted,
                path + "?key=" + URLEncoder.encode(pasted, StandardCharsets.UTF_8).replace(".", "%2E"));
    }
}
