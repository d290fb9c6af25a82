package dev.tokenbroker.federation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenbroker.emulator.DemoIssuer;
import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CI jobs exchanging their OIDC identity token (signed by the emulator's demo issuer with real
 * keys) for a bot's token: the flow, and every refusal, none of which reaches Gafaelfawr.
 */
@QuarkusTest
class FederatedExchangeTest {

    static final String SUBJECT = "repo:lsst-sqre/foo:ref:refs/heads/main";

    @Inject
    EmulatorState emulator;

    @Inject
    DemoIssuer issuer;

    @Inject
    AuditDatabase audit;

    String alice;

    /** The same helpers, for a test class of its own that holds these beans. */
    FederatedExchangeTest withBeans(EmulatorState emulator, DemoIssuer issuer) {
        this.emulator = emulator;
        this.issuer = issuer;
        return this;
    }

    /** A bot owned by alice with the trust policy "ci": jobs of lsst-sqre/foo's main, owner lsst-sqre. */
    String botWithPolicy() {
        alice = EmulatorTokens.person(emulator, "alice", "write:sasquatch");
        String username = "bot-fed-" + Long.toString(System.nanoTime(), 36);
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"username\": \"" + username + "\"}").when().post("/service-tokens").then().statusCode(201);
        TrustPolicyTest.put(alice, username, "ci", "{\"issuer\": \"demo\", \"subject\": \"" + SUBJECT + "\","
                + " \"claims\": {\"repository_owner\": \"lsst-sqre\"}, \"scopes\": [\"write:sasquatch\"],"
                + " \"max_lifetime\": \"PT30M\"}").statusCode(200);
        return username;
    }

    String job(String subject, Map<String, Object> claims) {
        return issuer.sign(subject, claims, Duration.ofMinutes(5));
    }

    String job() {
        return job(SUBJECT, Map.of("repository_owner", "lsst-sqre"));
    }

    static ValidatableResponse exchange(String jobToken, String body) {
        return given().header("Authorization", "Bearer " + jobToken).contentType("application/json").body(body)
                .when().post("/federated-tokens").then();
    }

    static ValidatableResponse exchange(String jobToken, String username, String extra) {
        return exchange(jobToken, "{\"username\": \"" + username + "\"" + extra + "}");
    }

    /** Asserts the refusal reached no Gafaelfawr token POST. */
    void refusedWithoutMinting(Runnable refusal) {
        long before = emulator.createRequests();
        refusal.run();
        assertEquals(before, emulator.createRequests(), "a refused exchange reached Gafaelfawr");
    }

    @Test
    void aMatchingJobMintsAShortLivedTokenAuditedWithItsIssuerAndSubject() {
        String username = botWithPolicy();
        String jobToken = job();
        Instant before = Instant.now();
        String token = exchange(jobToken, username, "").statusCode(201)
                .header("Cache-Control", "no-store")
                .body("username", equalTo(username))
                .body("scopes[0]", equalTo("write:sasquatch"))
                .body("requested_by", equalTo("demo:" + SUBJECT))
                .extract().path("token");
        String expires = given().header("Authorization", "bearer " + alice).when().get("/service-tokens")
                .then().statusCode(200).extract().path("find { it.username == '" + username + "' && it.requested_by"
                        + " == 'demo:" + SUBJECT + "' }.expires");
        assertTrue(Instant.parse(expires).isBefore(before.plus(Duration.ofMinutes(31))), "the policy's 30 minutes");
        // The token works in Gafaelfawr.
        given().header("Authorization", "bearer " + token).when().get("/emulator/auth/api/v1/token-info")
                .then().statusCode(200).body("username", equalTo(username));
        String record = audit.dump();
        assertTrue(record.contains("demo:" + SUBJECT) && record.contains("trust policy ci")
                && record.contains("federated: iss " + issuer.issuer() + ", sub " + SUBJECT), "audited with iss, sub, policy");
        assertFalse(record.contains(jobToken) || record.contains(jobToken.split("\\.")[2]), "never the job token");
        assertEquals(1, audit.count("target_username = ? AND outcome = 'issued' AND caller_username = ?"
                + " AND caller_token_type = 'federated'", username, "demo:" + SUBJECT));
    }

    @Test
    void neitherTheJobTokenNorTheMintedSecretReachesALogLineOrTheAudit() {
        String username = botWithPolicy();
        String jobToken = job();
        try (dev.tokenbroker.support.LogCapture logs = dev.tokenbroker.support.LogCapture.start()) {
            String minted = exchange(jobToken, username, "").statusCode(201).extract().path("token");
            String refused = exchange(jobToken, username, "").statusCode(401).extract().asString();
            String mintedSecret = minted.substring(minted.indexOf('.') + 1);
            String jobSignature = jobToken.substring(jobToken.lastIndexOf('.') + 1);
            assertFalse(logs.lines().isEmpty(), "the exchange was logged");
            for (String secret : new String[] {mintedSecret, jobSignature}) {
                assertEquals(java.util.List.of(), logs.linesContaining(secret), "a log line holds a secret");
                assertFalse(refused.contains(secret), "an error body holds a secret");
                assertFalse(audit.dump().contains(secret), "the audit holds a secret");
            }
            assertFalse(logs.linesContaining(minted.substring(3, 25)).isEmpty(), "the minted key, public, is logged");
        }
    }

    @Test
    void aJobTokenIsExchangedOnce() {
        String username = botWithPolicy();
        String jobToken = job();
        exchange(jobToken, username, "").statusCode(201);
        refusedWithoutMinting(() -> exchange(jobToken, username, "").statusCode(401)
                .contentType("application/problem+json").body("type", containsString("job-token-replayed")));
    }

    @Test
    void expiredFutureWrongAudienceAndUntrustedTokensAreRefused() {
        String username = botWithPolicy();
        Instant now = Instant.now();
        JWTClaimsSet valid = new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(issuer.audience())
                .subject(SUBJECT).jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("repository_owner", "lsst-sqre").build();
        Map<String, JWTClaimsSet> refused = Map.of(
                "token-expired", new JWTClaimsSet.Builder(valid).jwtID("a").issueTime(Date.from(now.minusSeconds(500)))
                        .expirationTime(Date.from(now.minusSeconds(200))).build(),
                "token-not-yet-valid", new JWTClaimsSet.Builder(valid).jwtID("b")
                        .notBeforeTime(Date.from(now.plusSeconds(600))).build(),
                "wrong-audience", new JWTClaimsSet.Builder(valid).jwtID("c").audience("https://elsewhere").build(),
                "unknown-issuer", new JWTClaimsSet.Builder(valid).jwtID("d").issuer("https://token.actions.githubusercontent.com").build());
        refused.forEach((rule, claims) -> refusedWithoutMinting(() -> exchange(issuer.sign(claims), username, "")
                .statusCode(401).contentType("application/problem+json").body("detail", containsString(rule))));
    }

    @Test
    void unsignedAndHmacTokensAreRefused() throws Exception {
        String username = botWithPolicy();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(issuer.audience())
                .subject(SUBJECT).jwtID(UUID.randomUUID().toString()).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("repository_owner", "lsst-sqre").build();
        String none = Base64URL.encode("{\"alg\":\"none\"}") + "." + new Payload(claims.toJSONObject()).toBase64URL() + ".x";
        refusedWithoutMinting(() -> exchange(none, username, "").statusCode(401));
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner(issuer.jwks().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        refusedWithoutMinting(() -> exchange(hmac.serialize(), username, "").statusCode(401)
                .body("detail", containsString("algorithm-not-allowed")));
    }

    @Test
    void aRotatedKeyIsFetchedOnceItsKidIsUnknown() {
        String username = botWithPolicy();
        exchange(job(), username, "").statusCode(201);
        issuer.rotate();
        exchange(job(), username, "").statusCode(201);
    }

    @Test
    void claimsThatAlmostMatchAreRefusedWithoutSayingWhichPoliciesWereTried() {
        String username = botWithPolicy();
        for (String subject : new String[] {SUBJECT + "x", "x" + SUBJECT, SUBJECT.toUpperCase(),
                "repo:lsst-sqre/foobar:ref:refs/heads/main"}) {
            refusedWithoutMinting(() -> exchange(job(subject, Map.of("repository_owner", "lsst-sqre")), username, "")
                    .statusCode(403).body("errors[0].rule", equalTo("no-trust-policy-matches"))
                    .body(not(containsString("\"ci\""))));
        }
        refusedWithoutMinting(() -> exchange(job(SUBJECT, Map.of("repository_owner", "lsst-sqre-evil")), username, "")
                .statusCode(403).body("errors[0].rule", equalTo("no-trust-policy-matches")));
        refusedWithoutMinting(() -> exchange(job(SUBJECT, Map.of()), username, "").statusCode(403));
        assertTrue(audit.dump().contains("tried ci"), "the audit says which policies were tried");
    }

    @Test
    void aDeletedPolicyAdmitsNoMoreJobsAndARemovedOwnersPolicyStays() {
        String username = botWithPolicy();
        given().header("Authorization", "bearer " + alice).contentType("application/json")
                .body("{\"users\": [\"bob\"]}").when().put("/bots/" + username + "/owners").then().statusCode(200);
        exchange(job(), username, "").statusCode(201);
        given().header("Authorization", "bearer " + EmulatorTokens.person(emulator, "bob", "write:sasquatch"))
                .when().delete("/bots/" + username + "/trust-policies/ci").then().statusCode(204);
        refusedWithoutMinting(() -> exchange(job(), username, "").statusCode(403)
                .body("errors[0].rule", equalTo("no-trust-policy-matches")));
    }

    @Test
    void scopesAndLifetimeStayWithinThePolicy() {
        String username = botWithPolicy();
        refusedWithoutMinting(() -> exchange(job(), username, ", \"scopes\": [\"read:sasquatch\"]").statusCode(403)
                .body("errors[0].rule", equalTo("scope-beyond-trust-policy")));
        refusedWithoutMinting(() -> exchange(job(), username, ", \"lifetime\": \"PT2H\"").statusCode(403)
                .body("errors[0].rule", equalTo("lifetime-beyond-trust-policy")));
        refusedWithoutMinting(() -> exchange(job(), username, ", \"lifetime\": \"soon\"").statusCode(422)
                .body("errors[0].field", equalTo("lifetime")));
        refusedWithoutMinting(() -> exchange(job(), username, ", \"name\": \"x\"").statusCode(422)
                .body("errors[0].field", equalTo("name")));
        exchange(job(), username, ", \"lifetime\": \"PT10M\", \"scopes\": [\"write:sasquatch\"]").statusCode(201);
    }

    @Test
    void eachKindOfTokenHasItsOwnRoute() {
        String username = botWithPolicy();
        refusedWithoutMinting(() -> exchange(alice, username, "").statusCode(403)
                .body("errors[0].rule", equalTo("job-token-required")));
        refusedWithoutMinting(() -> given().header("Authorization", "Bearer " + job()).contentType("application/json")
                .body("{\"username\": \"" + username + "\"}").when().post("/service-tokens").then().statusCode(401));
        refusedWithoutMinting(() -> given().contentType("application/json").body("{\"username\": \"" + username + "\"}")
                .when().post("/federated-tokens").then().statusCode(401));
    }

    @Test
    void anIssuerWhoseKeysCannotBeFetchedFailsClosed() {
        String username = botWithPolicy();
        Instant now = Instant.now();
        String fromDown = issuer.sign(new JWTClaimsSet.Builder().issuer("http://127.0.0.1:9/unreachable")
                .audience(issuer.audience()).subject(SUBJECT).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
        refusedWithoutMinting(() -> exchange(fromDown, username, "").statusCode(503)
                .header("Retry-After", not(equalTo(null))).contentType("application/problem+json"));
    }

    @Test
    void anIdempotencyKeyMakesARetryWithAFreshJobTokenSafe() {
        String username = botWithPolicy();
        String body = "{\"username\": \"" + username + "\", \"lifetime\": \"PT10M\"}";
        String first = given().header("Authorization", "Bearer " + job()).header("Idempotency-Key", "run-42")
                .contentType("application/json").body(body).when().post("/federated-tokens")
                .then().statusCode(201).extract().path("key");
        // The job retries (its answer was lost) with a fresh identity token and the same key.
        String second = given().header("Authorization", "Bearer " + job()).header("Idempotency-Key", "run-42")
                .contentType("application/json").body(body).when().post("/federated-tokens")
                .then().statusCode(201).header("Idempotency-Replaced", first).extract().path("key");
        assertFalse(first.equals(second));
        assertTrue(emulator.liveTokensOf(username).stream().noneMatch(t -> t.key().equals(first)),
                "at most one live token per key: the first is revoked");
        refusedWithoutMinting(() -> given().header("Authorization", "Bearer " + job()).header("Idempotency-Key", "run-42")
                .contentType("application/json").body("{\"username\": \"" + username + "\", \"lifetime\": \"PT5M\"}")
                .when().post("/federated-tokens").then().statusCode(422));
    }
}
