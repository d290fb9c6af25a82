package dev.tokenbroker.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenbroker.policy.JobTokenRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Job tokens from a local issuer with real signatures, each refusal the federation names: the
 * signature and algorithm here ({@link JobTokenVerifier}), the claims by {@link JobTokenRules}.
 */
class JobTokenVerifierTest {

    static final String SUBJECT = "repo:lsst-sqre/foo:ref:refs/heads/main";
    static final JobTokenRules.Limits LIMITS = new JobTokenRules.Limits(Duration.ofSeconds(60), Duration.ofMinutes(10));

    final LocalIssuer issuer = new LocalIssuer();
    final JobTokenVerifier verifier = new JobTokenVerifier(List.of(issuer.trusted("local")), Duration.ofSeconds(2),
            Duration.ofMinutes(5), Duration.ofMillis(500));

    @AfterEach
    void stop() {
        issuer.close();
    }

    /** Verified and checked as the exchange does; the rule that refused it, if any. */
    Optional<String> check(String token) {
        VerifiedJobToken verified = verifier.verify(token);
        assertEquals("local", verified.issuer().name());
        return JobTokenRules.check(verified.claims(), verified.issuer().url().toString(), LocalIssuer.AUDIENCE,
                Instant.now(), LIMITS).map(v -> v.rule());
    }

    String rejection(String token) {
        JobTokenException e = assertThrows(JobTokenException.class, () -> verifier.verify(token));
        assertEquals(JobTokenException.Kind.REJECTED, e.kind());
        assertFalse(e.getMessage().contains(token), "the token is never echoed");
        return e.rule();
    }

    @Test
    void aValidTokenIsAccepted() {
        String token = issuer.sign(issuer.claims(SUBJECT).build());
        assertEquals(Optional.empty(), check(token));
        VerifiedJobToken verified = verifier.verify(token);
        assertEquals(SUBJECT, verified.claims().subject());
        assertEquals("lsst-sqre", verified.allClaims().get("repository_owner"));
        assertEquals(64, verified.sha256().length());
    }

    @Test
    void expiredNotYetValidTooOldAndFutureTokensAreRefused() {
        Instant now = Instant.now();
        assertEquals(Optional.of("token-expired"), check(issuer.sign(issuer.claims(SUBJECT)
                .issueTime(Date.from(now.minusSeconds(400))).expirationTime(Date.from(now.minusSeconds(120))).build())));
        assertEquals(Optional.of("token-not-yet-valid"), check(issuer.sign(issuer.claims(SUBJECT)
                .notBeforeTime(Date.from(now.plusSeconds(300))).build())));
        assertEquals(Optional.of("token-too-old"), check(issuer.sign(issuer.claims(SUBJECT)
                .issueTime(Date.from(now.minusSeconds(3600))).expirationTime(Date.from(now.plusSeconds(600))).build())));
        assertEquals(Optional.of("token-issued-in-the-future"), check(issuer.sign(issuer.claims(SUBJECT)
                .issueTime(Date.from(now.plusSeconds(600))).build())));
        // within the clock skew: accepted
        assertEquals(Optional.empty(), check(issuer.sign(issuer.claims(SUBJECT)
                .expirationTime(Date.from(now.minusSeconds(30))).build())));
    }

    @Test
    void wrongAudienceIssuerSubjectOrJtiAreRefused() {
        assertEquals(Optional.of("wrong-audience"), check(issuer.sign(issuer.claims(SUBJECT)
                .audience("https://data-dev.lsst.cloud/other-app").build())));
        assertEquals(Optional.of("subject-required"), check(issuer.sign(issuer.claims(SUBJECT).subject(null).build())));
        assertEquals(Optional.of("jti-required"), check(issuer.sign(issuer.claims(SUBJECT).jwtID(null).build())));
        // A token naming an issuer the broker does not trust is never verified with anyone's keys.
        assertEquals("unknown-issuer", rejection(issuer.sign(issuer.claims(SUBJECT)
                .issuer("https://token.actions.githubusercontent.com").build())));
        assertEquals("unknown-issuer", rejection(issuer.sign(issuer.claims(SUBJECT).issuer(issuer.url() + "/").build())));
        assertEquals("unknown-issuer", rejection(issuer.sign(issuer.claims(SUBJECT).issuer(null).build())));
    }

    @Test
    void unsignedAndHmacTokensAreRefused() throws Exception {
        JWTClaimsSet claims = issuer.claims(SUBJECT).build();
        assertEquals("unsigned-token", rejection(new PlainJWT(claims).serialize()));
        // HS256 "signed" with the issuer's public key: the classic key-confusion attack
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.key().getKeyID()).build(),
                claims);
        byte[] publicKey = issuer.key().toRSAPublicKey().getEncoded();
        hmac.sign(new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(32, publicKey.length))));
        assertEquals("algorithm-not-allowed", rejection(hmac.serialize()));
        // alg none spelt in a signed-looking token
        String none = Base64URL.encode("{\"alg\":\"none\"}") + "." + new Payload(claims.toJSONObject()).toBase64URL() + ".";
        assertEquals("unsigned-token", rejection(none));
        assertEquals("malformed-token", rejection("not.a.jwt"));
        assertEquals("malformed-token", rejection("gt-abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuv"));
    }

    @Test
    void aForgedSignatureIsRefused() {
        String token = issuer.sign(issuer.claims(SUBJECT).build());
        String[] parts = token.split("\\.");
        String otherClaims = issuer.sign(issuer.claims("repo:lsst-sqre/evil:ref:refs/heads/main").build()).split("\\.")[1];
        assertEquals("signature-not-verified", rejection(parts[0] + "." + otherClaims + "." + parts[2]));
    }

    @Test
    void anUnknownKeyIsLookedUpOnceThenTheRotatedKeyIsAccepted() throws Exception {
        assertEquals(Optional.empty(), check(issuer.sign(issuer.claims(SUBJECT).build())));
        int fetched = issuer.jwksRequests();
        issuer.rotate();
        // A token signed with the new key: the cache does not know its kid, so the JWKS is fetched again.
        assertEquals(Optional.empty(), check(issuer.sign(issuer.claims(SUBJECT).build())));
        assertEquals(fetched + 1, issuer.jwksRequests());
        // Tokens of a key nobody publishes: refused, and refetching is rate-limited.
        var stranger = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("stranger").generate();
        for (int i = 0; i < 5; i++) {
            assertTrue(List.of("unknown-signing-key", "signature-not-verified")
                    .contains(rejection(issuer.sign(issuer.claims(SUBJECT).build(), stranger, h -> h))));
        }
        assertTrue(issuer.jwksRequests() <= fetched + 2, "an unknown kid refetches at most once per interval: "
                + issuer.jwksRequests());
    }

    @Test
    void anIssuerWhoseKeysCannotBeFetchedFailsClosed() {
        issuer.breakDown();
        String token = issuer.sign(issuer.claims(SUBJECT).build());
        JobTokenException e = assertThrows(JobTokenException.class, () -> verifier.verify(token));
        assertEquals(JobTokenException.Kind.ISSUER_UNAVAILABLE, e.kind());
        assertFalse(e.getMessage().contains(token));
    }
}
