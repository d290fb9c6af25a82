package dev.tokenbroker.packaged;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.oidc.LocalIssuer;
import dev.tokenbroker.support.WireMockGafaelfawr;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Minting from CI through the packaged jar: a job token from a local issuer (real signatures,
 * discovery and JWKS over HTTP) that a bot's trust policy admits mints a short-lived
 * write:sasquatch token, audited with its issuer and subject; the same token replayed on
 * another replica sharing the database is refused.
 */
class FederationIT {

    static final String SUBJECT = "repo:lsst-sqre/foo:ref:refs/heads/main";

    @RegisterExtension
    static final StandInGafaelfawr gafaelfawr = new StandInGafaelfawr();

    static LocalIssuer issuer;

    @BeforeAll
    static void startIssuer() {
        issuer = new LocalIssuer();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    static Map<String, String> environment() {
        Map<String, String> env = PackagedBroker.required(gafaelfawr.baseUrl());
        env.put("BROKER_FEDERATION_ISSUERS_LOCAL_URL", issuer.url());
        env.put("BROKER_FEDERATION_ISSUERS_LOCAL_INSECURE", "true");
        env.put("BROKER_FEDERATION_AUDIENCE", LocalIssuer.AUDIENCE);
        return env;
    }

    @Test
    void aJobAdmittedByATrustPolicyMintsOnceAcrossReplicas() throws Exception {
        String username = "bot-federated-" + System.nanoTime();
        try (PackagedBroker first = PackagedBroker.start(environment());
                PackagedBroker second = PackagedBroker.start(environment())) {
            first.awaitListening();
            second.awaitListening();
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN).contentType("application/json")
                    .body("{\"username\": \"" + username + "\"}").when().post(first.url("/service-tokens"))
                    .then().statusCode(201);
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN).contentType("application/json")
                    .body("{\"issuer\": \"local\", \"subject\": \"" + SUBJECT + "\", \"scopes\": [\"write:sasquatch\"],"
                            + " \"max_lifetime\": \"PT1H\"}")
                    .when().put(first.url("/bots/" + username + "/trust-policies/ci")).then().statusCode(200);

            String jobToken = issuer.sign(issuer.claims(SUBJECT).build());
            Instant before = Instant.now();
            String expires = given().header("Authorization", "Bearer " + jobToken).contentType("application/json")
                    .body("{\"username\": \"" + username + "\", \"lifetime\": \"PT20M\"}")
                    .when().post(first.url("/federated-tokens"))
                    .then().statusCode(201)
                    .body("username", equalTo(username))
                    .body("scopes[0]", equalTo("write:sasquatch"))
                    .body("requested_by", equalTo("local:" + SUBJECT))
                    .extract().path("expires");
            assertTrue(Instant.parse(expires).isBefore(before.plus(Duration.ofMinutes(21))), "short-lived: " + expires);

            // The same job token, on the other replica: already exchanged.
            given().header("Authorization", "Bearer " + jobToken).contentType("application/json")
                    .body("{\"username\": \"" + username + "\"}").when().post(second.url("/federated-tokens"))
                    .then().statusCode(401).body("type", org.hamcrest.Matchers.endsWith("job-token-replayed"));
            // A fresh one from the same job is welcome there.
            given().header("Authorization", "Bearer " + issuer.sign(issuer.claims(SUBJECT).build()))
                    .contentType("application/json").body("{\"username\": \"" + username + "\"}")
                    .when().post(second.url("/federated-tokens")).then().statusCode(201);

            assertFalse(first.output().contains(jobToken.split("\\.")[2]), "the job token is never logged");
            assertFalse(second.output().contains(jobToken.split("\\.")[2]));
        }
        try (Connection db = DriverManager.getConnection(System.getProperty("test.database.jdbc-url"),
                System.getProperty("test.database.username"), "");
                PreparedStatement query = db.prepareStatement("SELECT caller_username, caller_token_type, reason"
                        + " FROM audit_event WHERE target_username = ? AND outcome = 'pending' AND caller_token_type = 'federated'"
                        + " ORDER BY seq")) {
            query.setString(1, username);
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), "the exchange is audited");
                assertEquals("local:" + SUBJECT, rows.getString(1));
                assertTrue(rows.getString(3).contains("iss " + issuer.url()) && rows.getString(3).contains("sub " + SUBJECT)
                        && rows.getString(3).contains("trust policy ci"), rows.getString(3));
            }
        }
    }
}
