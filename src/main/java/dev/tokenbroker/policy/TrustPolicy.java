package dev.tokenbroker.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Which CI jobs may mint for a bot without a stored secret: an OIDC identity token from
 * {@code issuer} (a trusted issuer's configured name) whose {@code sub} equals {@code subject}
 * or matches {@code subjectPattern} (anchored: the whole value), whose {@code claims} equal the
 * given values and whose {@code claimPatterns} match theirs, may have a token of at most
 * {@code scopes} living at most {@code maxLifetime}.
 */
public record TrustPolicy(String name, String issuer, String subject, String subjectPattern,
        Map<String, String> claims, Map<String, String> claimPatterns, List<String> scopes, Duration maxLifetime) {

    public TrustPolicy {
        claims = claims == null ? Map.of() : Map.copyOf(claims);
        claimPatterns = claimPatterns == null ? Map.of() : Map.copyOf(claimPatterns);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
