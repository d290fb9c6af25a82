package dev.tokenbroker.federation;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenbroker.emulator.DemoIssuer;
import dev.tokenbroker.emulator.EmulatorState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Generated job tokens (jqwik): headers and claims each a little wrong in some way (algorithm,
 * key id, type, issuer, audience, times, subject, jti, claims that almost match, damaged
 * signatures and segments). None may get a 5xx or a token, and none may reach Gafaelfawr.
 * {@code -Dfederation.cases=N}, {@code -Dfederation.seed=S}.
 */
@QuarkusTest
class GeneratedJobTokensTest {

    @Inject
    DemoIssuer issuer;

    @Inject
    EmulatorState emulator;

    record Case(String alg, String kid, String typ, String iss, String aud, long expOffset, Long nbfOffset,
            Long iatOffset, String sub, String jti, String owner, int damage) {
    }

    /** Mostly the right value, sometimes another: most cases are wrong in one or two ways, as real mistakes are. */
    static <T> Arbitrary<T> mostly(T right, Arbitrary<T> wrong) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(right)), net.jqwik.api.Tuple.of(1, wrong));
    }

    Arbitrary<Case> cases() {
        Arbitrary<String> alg = mostly("RS256", Arbitraries.of("none", "HS256", "ES256", "RS512", "PS256", "", "rs256"));
        Arbitrary<String> kid = mostly("current", Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().ofMaxLength(40)));
        Arbitrary<String> typ = mostly("JWT", Arbitraries.of("at+jwt", "", "JOSE"));
        Arbitrary<String> iss = mostly(issuer.issuer(), Arbitraries.of(issuer.issuer() + "/",
                "https://token.actions.githubusercontent.com", "", issuer.issuer().toUpperCase()));
        Arbitrary<String> aud = mostly(issuer.audience(), Arbitraries.of(issuer.audience() + "/", "", "https://elsewhere"));
        Arbitrary<Long> exp = mostly(300L, Arbitraries.longs().between(-100_000, 100_000));
        Arbitrary<Long> nbf = mostly(0L, Arbitraries.longs().between(-100_000, 100_000).injectNull(0.3));
        Arbitrary<Long> iat = mostly(0L, Arbitraries.longs().between(-100_000, 100_000).injectNull(0.3));
        Arbitrary<String> sub = mostly(FederatedExchangeTest.SUBJECT, Arbitraries.oneOf(Arbitraries.of(
                FederatedExchangeTest.SUBJECT + "x", "x" + FederatedExchangeTest.SUBJECT,
                FederatedExchangeTest.SUBJECT.toUpperCase(), ""), Arbitraries.strings().ofMaxLength(300)));
        Arbitrary<String> jti = mostly("fresh", Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.strings().ofMinLength(257).ofMaxLength(400)));
        Arbitrary<String> owner = mostly("lsst-sqre", Arbitraries.of("lsst-sqre ", "LSST-SQRE", "", "lsst-sqre-evil"));
        Arbitrary<Integer> damage = mostly(0, Arbitraries.integers().between(1, 4));
        return Combinators.combine(Combinators.combine(alg, kid, typ, iss, aud).as(java.util.Arrays::asList),
                Combinators.combine(exp, nbf, iat).as(java.util.Arrays::asList),
                Combinators.combine(sub, jti, owner, damage).as(java.util.Arrays::asList))
                .as((h, t, c) -> new Case((String) h.get(0), (String) h.get(1), (String) h.get(2), (String) h.get(3),
                        (String) h.get(4), (Long) t.get(0), (Long) t.get(1), (Long) t.get(2), (String) c.get(0),
                        (String) c.get(1), (String) c.get(2), (Integer) c.get(3)));
    }

    /**
     * Whether a case would be a valid exchange (then it is skipped: the other tests cover success).
     * Times within the 60 s clock skew and the 10 min maximum age are valid; a case a few seconds
     * from one of those edges is ambiguous (the clock moves while it is sent), and skipped too.
     */
    boolean validOrAmbiguous(Case c) {
        if (near(c.expOffset(), -60) || (c.nbfOffset() != null && near(c.nbfOffset(), 60))
                || (c.iatOffset() != null && (near(c.iatOffset(), 60) || near(c.iatOffset(), -660)))) {
            return true;
        }
        return c.alg().equals("RS256") && (c.kid() == null || "current".equals(c.kid()))
                && (c.typ().equals("JWT") || c.typ().isEmpty()) && c.iss().equals(issuer.issuer())
                && c.aud().equals(issuer.audience()) && c.expOffset() > -60 && (c.nbfOffset() == null || c.nbfOffset() <= 60)
                && c.iatOffset() != null && c.iatOffset() <= 60 && c.iatOffset() >= -660
                && c.sub().equals(FederatedExchangeTest.SUBJECT) && "fresh".equals(c.jti())
                && c.owner().equals("lsst-sqre") && c.damage() == 0;
    }

    private static boolean near(long offset, long edge) {
        return Math.abs(offset - edge) <= 5;
    }

    String token(Case c) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(c.iss()).audience(c.aud()).subject(c.sub())
                .jwtID("fresh".equals(c.jti()) ? java.util.UUID.randomUUID().toString() : c.jti()).expirationTime(Date.from(now.plusSeconds(c.expOffset())))
                .claim("repository_owner", c.owner());
        if (c.nbfOffset() != null) {
            claims.notBeforeTime(Date.from(now.plusSeconds(c.nbfOffset())));
        }
        if (c.iatOffset() != null) {
            claims.issueTime(Date.from(now.plusSeconds(c.iatOffset())));
        }
        String kid = "current".equals(c.kid()) ? issuer.keyId() : c.kid();
        String signed = issuer.sign(claims.build(), kid, c.typ().isEmpty() ? null : c.typ());
        String[] parts = signed.split("\\.");
        String header = parts[0];
        if (!c.alg().equals("RS256")) {
            // Another algorithm named over an RS256 signature, or none at all.
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("alg", c.alg());
            if (kid != null) {
                fields.put("kid", kid);
            }
            header = Base64URL.encode(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fields))
                    .toString();
        }
        String payload = parts[1];
        String signature = parts[2];
        switch (c.damage()) {
            case 1 -> signature = signature.substring(0, signature.length() / 2);
            case 2 -> payload = new Payload(Map.of("sub", FederatedExchangeTest.SUBJECT)).toBase64URL().toString();
            case 3 -> signature = "";
            case 4 -> header = header + "x";
            default -> { }
        }
        return header + "." + payload + "." + signature;
    }

    @Test
    void noGeneratedJobTokenGetsA5xxOrAToken() throws Exception {
        String username = new FederatedExchangeTest().withBeans(emulator, issuer).botWithPolicy();
        int count = Integer.getInteger("federation.cases", 300);
        long seed = Long.getLong("federation.seed", new Random().nextLong());
        Random random = new Random(seed);
        JqwikSession.start();
        RandomGenerator<Case> generator = cases().generator(100);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long before = emulator.createRequests();
        int sent = 0;
        for (int i = 0; i < count * 3 && sent < count && failures.size() < 10; i++) {
            Case c = generator.next(random).value();
            if (validOrAmbiguous(c)) {
                continue;
            }
            sent++;
            int status = given().header("Authorization", "Bearer " + token(c)).contentType("application/json")
                    .body("{\"username\": \"" + username + "\"}").when().post("/federated-tokens").then().extract().statusCode();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500 || status < 400) {
                failures.add(status + " for " + c);
            }
        }
        JqwikSession.finish();
        System.out.printf("generated job tokens: %d sent, statuses %s, seed %d%n", sent, statuses, seed);
        assertEquals(List.of(), failures, "seed " + seed + " (-Dfederation.seed=" + seed + ")");
        assertEquals(before, emulator.createRequests(), "a generated job token reached Gafaelfawr");
    }
}
