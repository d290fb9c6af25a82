package dev.tokenbroker.oidc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A local OIDC issuer over real HTTP (WireMock): a discovery document, a JWKS, and job tokens
 * signed with real RSA keys, which can be rotated. Tests of job-token verification use it.
 */
public final class LocalIssuer implements AutoCloseable {

    public static final String AUDIENCE = "https://data-dev.lsst.cloud/service-token-broker";

    private final WireMockServer server = new WireMockServer(options().dynamicPort());
    private RSAKey key;

    public LocalIssuer() {
        server.start();
        key = newKey();
        publish(List.of(key));
    }

    public String url() {
        return server.baseUrl();
    }

    public TrustedIssuer trusted(String name) {
        return new TrustedIssuer(name, java.net.URI.create(url()), AUDIENCE, List.of("RS256", "ES256"), true);
    }

    public RSAKey key() {
        return key;
    }

    /** A new signing key; the JWKS publishes only it from now on. */
    public void rotate() {
        key = newKey();
        publish(List.of(key));
    }

    /** The JWKS and discovery answer 503 from now on. */
    public void breakDown() {
        server.stubFor(get(urlEqualTo("/.well-known/openid-configuration")).willReturn(aResponse().withStatus(503)));
        server.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withStatus(503)));
    }

    /** GitHub Actions' claims for a job of lsst-sqre/foo on main, valid now for five minutes. */
    public JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(url()).audience(AUDIENCE).subject(subject)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).claim("repository_owner", "lsst-sqre")
                .claim("repository", "lsst-sqre/foo").claim("ref", "refs/heads/main");
    }

    public String sign(JWTClaimsSet claims) {
        return sign(claims, key, h -> h);
    }

    public String sign(JWTClaimsSet claims, RSAKey with, UnaryOperator<JWSHeader.Builder> header) {
        try {
            SignedJWT jwt = new SignedJWT(header.apply(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID())).build(),
                    claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public int jwksRequests() {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/jwks"))).size();
    }

    private void publish(List<RSAKey> keys) {
        server.stubFor(get(urlEqualTo("/.well-known/openid-configuration")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + url() + "/jwks\"}")));
        server.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(new JWKSet(keys.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList())
                        .toString())));
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
