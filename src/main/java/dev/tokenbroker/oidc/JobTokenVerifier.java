package dev.tokenbroker.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tokenbroker.policy.JobTokenRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Verifies a CI job's OIDC identity token against the trusted issuer its {@code iss} names:
 * a signed JWT, an algorithm that issuer allows, a signature one of its current keys verifies.
 * What the claims must say (audience, times, subject, jti) is {@link JobTokenRules}' to decide.
 */
public final class JobTokenVerifier {

    /** Tokens longer than this are not read at all. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final Map<String, IssuerKeys> byUrl;

    public JobTokenVerifier(List<TrustedIssuer> issuers, Duration timeout, Duration cacheTtl, Duration refreshInterval) {
        this.byUrl = issuers.stream().collect(Collectors.toUnmodifiableMap(i -> i.url().toString(),
                i -> new IssuerKeys(i, timeout, cacheTtl, refreshInterval), (a, b) -> a));
    }

    public VerifiedJobToken verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            throw rejected("malformed-token", "the job token is missing or too long");
        }
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            JWT parsed = JWTParser.parse(token);
            if (!(parsed instanceof SignedJWT signed)) {
                throw rejected("unsigned-token", "the job token must be signed (alg none is refused)");
            }
            jwt = signed;
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw rejected("malformed-token", "the job token is not a JWT");
        }
        // An immutable map refuses a null key: a token without iss names no issuer.
        IssuerKeys keys = unverified.getIssuer() == null ? null : byUrl.get(unverified.getIssuer());
        if (keys == null) {
            throw rejected("unknown-issuer", "the job token's issuer is not trusted");
        }
        Set<JWSAlgorithm> allowed = keys.issuer().algorithms().stream().map(JWSAlgorithm::parse)
                .collect(Collectors.toSet());
        if (!allowed.contains(jwt.getHeader().getAlgorithm())) {
            throw rejected("algorithm-not-allowed", "the job token's alg is not one its issuer may use");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(allowed, keys.source()));
        processor.setJWTClaimsSetVerifier((claims, context) -> { }); // JobTokenRules decides on the claims
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (RateLimitReachedException e) {
            throw rejected("unknown-signing-key", "no current key of the issuer verifies the job token");
        } catch (KeySourceException e) {
            throw new JobTokenException(JobTokenException.Kind.ISSUER_UNAVAILABLE, "issuer-unavailable",
                    "the keys of issuer " + keys.issuer().name() + " cannot be fetched");
        } catch (BadJOSEException | JOSEException e) {
            throw rejected("signature-not-verified", "no current key of the issuer verifies the job token");
        }
        return new VerifiedJobToken(keys.issuer(), rulesView(claims), claims.getClaims(), sha256(token));
    }

    private static JobTokenRules.Claims rulesView(JWTClaimsSet claims) {
        Function<Date, Instant> instant = d -> d == null ? null : d.toInstant();
        return new JobTokenRules.Claims(claims.getIssuer(), claims.getAudience(), claims.getSubject(),
                claims.getJWTID(), instant.apply(claims.getExpirationTime()), instant.apply(claims.getNotBeforeTime()),
                instant.apply(claims.getIssueTime()));
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static JobTokenException rejected(String rule, String message) {
        return new JobTokenException(JobTokenException.Kind.REJECTED, rule, message);
    }
}
