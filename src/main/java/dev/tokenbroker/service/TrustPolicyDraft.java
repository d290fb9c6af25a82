package dev.tokenbroker.service;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trust policy as a caller sent it (the name comes from the path); {@code maxLifetime} is the
 * ISO 8601 text, null for the default; {@code otherFields} are fields the body does not have.
 */
public record TrustPolicyDraft(String issuer, String subject, String subjectPattern, Map<String, String> claims,
        Map<String, String> claimPatterns, List<String> scopes, String maxLifetime, Set<String> otherFields) {
}
