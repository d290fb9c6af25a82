package dev.tokenbroker.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A demo OIDC issuer of CI job tokens, as GitHub Actions' is: a discovery document, a JWKS and
 * RS256-signed tokens for the broker's audience. Dev mode and tests only; its key lives in
 * memory and can be rotated, as a real issuer's does.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class DemoIssuer {

    private final String issuer;
    private final String audience;
    private final Clock clock;
    private volatile RSAKey key = newKey();

    @Inject
    public DemoIssuer(@ConfigProperty(name = "broker.federation.issuers.demo.url") String issuer,
            @ConfigProperty(name = "broker.federation.audience") String audience, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** The current key's id. */
    public String keyId() {
        return key.getKeyID();
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /** The public keys, as a JWKS document. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A new signing key: tokens signed before no longer verify once the broker refetches. */
    public void rotate() {
        key = newKey();
    }

    /** A job token for {@code subject} with the given claims, valid for {@code lifetime} from now. */
    public String sign(String subject, Map<String, Object> claims, Duration lifetime) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)));
        claims.forEach(builder::claim);
        return sign(builder.build());
    }

    /** Signs any claims with the current key (tests shape the claims to be refused). */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, key.getKeyID(), "JWT");
    }

    /** Signs with the current key under a header naming {@code kid} and {@code typ} (either may be wrong or null). */
    public String sign(JWTClaimsSet claims, String kid, String typ) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
                    .type(typ == null ? null : new JOSEObjectType(typ)).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
