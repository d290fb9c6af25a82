package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules of trust policies: what a policy may say (every broken rule, by field), and whether
 * a verified job token's claims match one. Patterns are anchored as octo-sts anchors them: a
 * pattern must match the whole value, so {@code repo:lsst-sqre/foo} never matches
 * {@code repo:lsst-sqre/foobar}, with or without {@code ^} and {@code $}.
 */
public final class TrustPolicyRules {

    /** A policy's name: a path segment, readable in an audit record. */
    public static final Pattern NAME = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$");
    /** JWT claim names GitHub and Jenkins use: letters, digits, underscores, dashes, dots. */
    private static final Pattern CLAIM_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$");
    /** Claims that the issuer's verification already decides; a policy does not restate them. */
    private static final Set<String> VERIFIED_CLAIMS = Set.of("iss", "aud", "exp", "nbf", "iat", "jti", "sub");
    /** Bounds the work a pattern can cause: patterns and the values they see are short. */
    public static final int MAX_PATTERN_CHARS = 256;
    public static final int MAX_VALUE_CHARS = 1024;
    public static final int MAX_CLAIMS = 16;
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private TrustPolicyRules() {
    }

    /**
     * Every broken rule of a policy as written: its name, a known issuer, exactly one of subject
     * and subject pattern, patterns that compile, claims by name, scopes within the broker's
     * allowed ones, and a lifetime within the federation's maximum.
     */
    public static List<Violation> validate(TrustPolicy policy, Set<String> issuers, Set<String> allowedScopes,
            Duration maxLifetime) {
        List<Violation> violations = new ArrayList<>();
        if (policy.name() == null || !NAME.matcher(policy.name()).matches()) {
            violations.add(invalid("name", "trust-policy-name",
                    "name must be 1 to 64 lower-case letters, digits and dashes, starting and ending with a letter or digit"));
        }
        if (policy.issuer() == null || !issuers.contains(policy.issuer())) {
            violations.add(invalid("issuer", "unknown-issuer", "issuer must name a trusted issuer: " + String.join(", ",
                    new TreeSet<>(issuers))));
        }
        boolean subject = policy.subject() != null;
        boolean subjectPattern = policy.subjectPattern() != null;
        if (subject == subjectPattern) {
            violations.add(invalid(subject ? "subject_pattern" : "subject", "subject-exactly-once",
                    "give exactly one of subject and subject_pattern"));
        }
        if (subject) {
            value("subject", policy.subject()).ifPresent(violations::add);
        }
        if (subjectPattern) {
            pattern("subject_pattern", policy.subjectPattern()).ifPresent(violations::add);
        }
        if (policy.claims().size() + policy.claimPatterns().size() > MAX_CLAIMS) {
            violations.add(invalid("claims", "too-many-claims", "at most " + MAX_CLAIMS + " claims and claim patterns"));
        }
        policy.claims().forEach((name, value) -> {
            claimName("claims", name).ifPresent(violations::add);
            value("claims." + name, value).ifPresent(violations::add);
        });
        policy.claimPatterns().forEach((name, value) -> {
            claimName("claim_patterns", name).ifPresent(violations::add);
            pattern("claim_patterns." + name, value).ifPresent(violations::add);
        });
        if (policy.scopes().isEmpty()) {
            violations.add(invalid("scopes", "scopes-required", "scopes must name at least one scope"));
        }
        for (String scope : policy.scopes()) {
            if (scope == null || !allowedScopes.contains(scope)) {
                violations.add(invalid("scopes", "scope-not-allowed",
                        "scope " + scope + " is not allowed; allowed: " + String.join(", ", new TreeSet<>(allowedScopes))));
            }
        }
        Duration lifetime = policy.maxLifetime();
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(maxLifetime) > 0)) {
            violations.add(invalid("max_lifetime", "lifetime-out-of-range",
                    "max_lifetime must be positive and at most " + maxLifetime));
        }
        return violations;
    }

    /** A lifetime as sent in {@code field}: an ISO 8601 duration such as PT30M (absent: one hour). */
    public static Duration lifetime(String field, String requested, List<Violation> violations) {
        if (requested == null) {
            return DEFAULT_LIFETIME;
        }
        try {
            return Duration.parse(requested);
        } catch (java.time.format.DateTimeParseException e) {
            violations.add(invalid(field, "duration-format", field + " must be an ISO 8601 duration such as PT1H"));
            return DEFAULT_LIFETIME;
        }
    }

    /** Whether a verified token's subject and claims satisfy the policy (its issuer already matched). */
    public static boolean matches(TrustPolicy policy, String subject, Map<String, Object> claims) {
        if (!(policy.subject() != null ? policy.subject().equals(subject) : fullMatch(policy.subjectPattern(), subject))) {
            return false;
        }
        for (Map.Entry<String, String> claim : policy.claims().entrySet()) {
            if (!(claims.get(claim.getKey()) instanceof String value) || !value.equals(claim.getValue())) {
                return false;
            }
        }
        for (Map.Entry<String, String> claim : policy.claimPatterns().entrySet()) {
            if (!(claims.get(claim.getKey()) instanceof String value) || !fullMatch(claim.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The whole value, however the pattern is written: {@code ^} and {@code $} add nothing. A
     * pattern that backtracks past {@link #MAX_MATCH_STEPS} character reads on one value does
     * not match: a policy cannot make an exchange spin.
     */
    static boolean fullMatch(String pattern, String value) {
        if (value == null || value.length() > MAX_VALUE_CHARS) {
            return false;
        }
        try {
            return Pattern.compile(pattern).matcher(new BoundedText(value)).matches();
        } catch (BoundedText.Exhausted e) {
            return false;
        }
    }

    public static final int MAX_MATCH_STEPS = 200_000;

    /** A value that stops a match after {@link #MAX_MATCH_STEPS} reads. */
    private static final class BoundedText implements CharSequence {
        private final String text;
        private final int[] reads;

        BoundedText(String text) {
            this(text, new int[1]);
        }

        private BoundedText(String text, int[] reads) {
            this.text = text;
            this.reads = reads;
        }

        @Override
        public char charAt(int index) {
            if (++reads[0] > MAX_MATCH_STEPS) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BoundedText(text.substring(start, end), reads);
        }

        @Override
        public String toString() {
            return text;
        }

        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("pattern exceeded its budget", null, false, false);
            }
        }
    }

    private static Optional<Violation> pattern(String field, String pattern) {
        if (pattern.isEmpty() || pattern.length() > MAX_PATTERN_CHARS) {
            return Optional.of(invalid(field, "pattern-length", field + " must be 1 to " + MAX_PATTERN_CHARS
                    + " characters"));
        }
        try {
            Pattern.compile(pattern);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of(invalid(field, "invalid-pattern", field + " is not a regular expression: "
                    + e.getDescription()));
        }
    }

    private static Optional<Violation> value(String field, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_VALUE_CHARS
                || value.chars().anyMatch(c -> Character.isISOControl(c))) {
            return Optional.of(invalid(field, "claim-value", field + " must be 1 to " + MAX_VALUE_CHARS
                    + " characters without control characters"));
        }
        return Optional.empty();
    }

    private static Optional<Violation> claimName(String field, String name) {
        if (name == null || !CLAIM_NAME.matcher(name).matches()) {
            return Optional.of(invalid(field, "claim-name", field + " holds a name that is not a claim name"));
        }
        if (VERIFIED_CLAIMS.contains(name)) {
            return Optional.of(invalid(field + "." + name, "claim-verified-elsewhere",
                    name + " is checked by the issuer's verification (use issuer, subject or subject_pattern)"));
        }
        return Optional.empty();
    }

    private static Violation invalid(String field, String rule, String message) {
        return new Violation(field, rule, INVALID, message);
    }
}
