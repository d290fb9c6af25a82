package dev.tokenbroker.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

/**
 * One trusted issuer's signing keys: its discovery document names its JWKS, which Nimbus's
 * {@link JWKSourceBuilder} fetches and caches; a token signed with a key the cache does not
 * know makes it fetch again, at most once per refresh interval. Nothing here decides whether a
 * token is accepted: it only finds keys, or fails (closed) when it cannot.
 */
final class IssuerKeys {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrustedIssuer issuer;
    private final ResourceRetriever http;
    private final Duration cacheTtl;
    private final Duration refreshInterval;
    private volatile JWKSource<SecurityContext> source;

    IssuerKeys(TrustedIssuer issuer, Duration timeout, Duration cacheTtl, Duration refreshInterval) {
        this.issuer = issuer;
        this.http = new DefaultResourceRetriever((int) timeout.toMillis(), (int) timeout.toMillis(), 256 * 1024);
        this.cacheTtl = cacheTtl;
        this.refreshInterval = refreshInterval;
    }

    TrustedIssuer issuer() {
        return issuer;
    }

    /** The issuer's key source, built from its discovery document on first use (a failure is not remembered). */
    JWKSource<SecurityContext> source() {
        JWKSource<SecurityContext> known = source;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (source == null) {
                URL jwks = discoverKeys();
                source = JWKSourceBuilder.create(jwks, http)
                        .cache(cacheTtl.toMillis(), http instanceof DefaultResourceRetriever d ? d.getReadTimeout() : 5000)
                        .rateLimited(refreshInterval.toMillis())
                        .refreshAheadCache(false)
                        .retrying(false)
                        .outageTolerant(false)
                        .build();
            }
            return source;
        }
    }

    private URL discoverKeys() {
        Resource document;
        try {
            document = http.retrieveResource(issuer.discovery().toURL());
        } catch (IOException e) {
            throw unavailable("the discovery document of issuer " + issuer.name() + " cannot be fetched: "
                    + e.getClass().getSimpleName());
        }
        try {
            JsonNode discovery = JSON.readTree(document.getContent());
            if (!issuer.url().toString().equals(discovery.path("issuer").asText())) {
                throw unavailable("the discovery document of issuer " + issuer.name() + " names another issuer");
            }
            URI jwks = URI.create(discovery.path("jwks_uri").asText());
            if (!"https".equals(jwks.getScheme()) && !(issuer.insecure() && "http".equals(jwks.getScheme()))) {
                throw unavailable("the jwks_uri of issuer " + issuer.name() + " is not HTTPS");
            }
            return jwks.toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw unavailable("the discovery document of issuer " + issuer.name() + " cannot be read");
        }
    }

    private static JobTokenException unavailable(String message) {
        return new JobTokenException(JobTokenException.Kind.ISSUER_UNAVAILABLE, "issuer-unavailable", message);
    }
}
