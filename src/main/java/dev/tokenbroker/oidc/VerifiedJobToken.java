package dev.tokenbroker.oidc;

import dev.tokenbroker.policy.JobTokenRules;
import java.util.Map;

/**
 * A job token whose signature was verified with its issuer's keys. {@code sha256} identifies the
 * token in the audit log; the token itself is never kept.
 */
public record VerifiedJobToken(TrustedIssuer issuer, JobTokenRules.Claims claims, Map<String, Object> allClaims,
        String sha256) {
}
