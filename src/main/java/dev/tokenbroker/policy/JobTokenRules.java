package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a CI job's OIDC identity token, its signature already verified, is accepted: issued by
 * the issuer it was verified for, for the broker's audience, within its validity (with a bounded
 * clock skew), not older than the maximum age, naming a subject and a single-use {@code jti}.
 */
public final class JobTokenRules {

    /** What the rules read from a verified token. */
    public record Claims(String issuer, List<String> audience, String subject, String jwtId, Instant expires,
            Instant notBefore, Instant issuedAt) {
    }

    /** The federation's settings these rules apply. */
    public record Limits(Duration clockSkew, Duration maxAge) {
    }

    private JobTokenRules() {
    }

    /** The first broken rule, if any; the caller learns the rule, never more of the token. */
    public static Optional<Violation> check(Claims claims, String expectedIssuer, String audience, Instant now,
            Limits limits) {
        if (!expectedIssuer.equals(claims.issuer())) {
            return refuse("wrong-issuer", "the token's iss is not the trusted issuer's");
        }
        if (claims.audience() == null || !claims.audience().contains(audience)) {
            return refuse("wrong-audience", "the token's aud must name " + audience);
        }
        if (claims.expires() == null || !now.minus(limits.clockSkew()).isBefore(claims.expires())) {
            return refuse("token-expired", "the token has expired");
        }
        if (claims.notBefore() != null && now.plus(limits.clockSkew()).isBefore(claims.notBefore())) {
            return refuse("token-not-yet-valid", "the token is not valid yet");
        }
        if (claims.issuedAt() == null || now.plus(limits.clockSkew()).isBefore(claims.issuedAt())) {
            return refuse("token-issued-in-the-future", "the token's iat is missing or in the future");
        }
        if (claims.issuedAt().plus(limits.maxAge()).isBefore(now.minus(limits.clockSkew()))) {
            return refuse("token-too-old", "the token was issued more than " + limits.maxAge() + " ago");
        }
        if (claims.subject() == null || claims.subject().isEmpty()) {
            return refuse("subject-required", "the token names no sub");
        }
        if (claims.jwtId() == null || claims.jwtId().isEmpty() || claims.jwtId().length() > 256) {
            return refuse("jti-required", "the token needs a jti of at most 256 characters: each is used once");
        }
        return Optional.empty();
    }

    /** The type a CI job's identity has as a caller (in the audit's caller_token_type). */
    public static final String CALLER_TYPE = "federated";
    private static final int MAX_CALLER_CHARS = 64;

    /**
     * How a CI job is named as a caller (audit records, quotas, requested_by): its issuer's name and
     * its subject, e.g. {@code github:repo:lsst-sqre/foo:ref:refs/heads/main}. A longer subject is
     * shortened to fit 64 characters and made unique by a digest of the whole; the audit's reason
     * keeps the whole subject.
     */
    public static String callerName(String issuerName, String subject) {
        String name = issuerName + ":" + subject;
        if (name.length() <= MAX_CALLER_CHARS) {
            return name;
        }
        String digest = java.util.HexFormat.of().formatHex(sha256(subject)).substring(0, 12);
        return name.substring(0, MAX_CALLER_CHARS - digest.length() - 1) + "~" + digest;
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Optional<Violation> refuse(String rule, String message) {
        return Optional.of(new Violation("Authorization", rule, INVALID, message));
    }
}
