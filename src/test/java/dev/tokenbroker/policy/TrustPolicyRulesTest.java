package dev.tokenbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Trust policies' patterns, table-driven as octo-sts tests its own, and what a policy may say. */
class TrustPolicyRulesTest {

    static final Set<String> ISSUERS = Set.of("github", "jenkins");
    static final Set<String> SCOPES = Set.of("write:sasquatch");
    static final Duration MAX = Duration.ofHours(12);

    static Stream<Arguments> subjects() {
        return Stream.of(
                // pattern, subject, matches
                Arguments.of("repo:lsst-sqre/foo:ref:refs/heads/main", "repo:lsst-sqre/foo:ref:refs/heads/main", true),
                Arguments.of("repo:lsst-sqre/foo:.*", "repo:lsst-sqre/foo:ref:refs/heads/main", true),
                Arguments.of("^repo:lsst-sqre/foo:.*$", "repo:lsst-sqre/foo:environment:prod", true),
                // reject a prefix, without and with ^$
                Arguments.of("repo:lsst-sqre/foo", "repo:lsst-sqre/foobar", false),
                Arguments.of("^repo:lsst-sqre/foo$", "repo:lsst-sqre/foobar", false),
                Arguments.of("repo:lsst-sqre/foo", "repo:lsst-sqre/foo:ref:refs/heads/main", false),
                // reject a suffix, without and with ^$
                Arguments.of("lsst-sqre/foo:ref:refs/heads/main", "repo:lsst-sqre/foo:ref:refs/heads/main", false),
                Arguments.of("^lsst-sqre/foo.*$", "repo:lsst-sqre/foo:ref:refs/heads/main", false),
                // case is part of the value
                Arguments.of("repo:lsst-sqre/foo:.*", "repo:LSST-SQRE/foo:ref:refs/heads/main", false),
                // a dot in a literal is any character unless escaped
                Arguments.of("repo:lsst-sqre/foo\\.bar:.*", "repo:lsst-sqre/fooxbar:ref:x", false),
                Arguments.of("repo:lsst-sqre/(foo|bar):ref:refs/heads/main", "repo:lsst-sqre/bar:ref:refs/heads/main", true),
                Arguments.of("repo:lsst-sqre/(foo|bar):ref:refs/heads/main", "repo:lsst-sqre/baz:ref:refs/heads/main", false));
    }

    @ParameterizedTest
    @MethodSource("subjects")
    void subjectPatternsMatchTheWholeValue(String pattern, String subject, boolean matches) {
        TrustPolicy policy = new TrustPolicy("ci", "github", null, pattern, null, null, List.of("write:sasquatch"), null);
        assertEquals(matches, TrustPolicyRules.matches(policy, subject, Map.of()));
    }

    @Test
    void anExactSubjectIsCompared() {
        TrustPolicy policy = new TrustPolicy("ci", "github", "repo:lsst-sqre/foo:ref:refs/heads/main", null, null, null,
                List.of("write:sasquatch"), null);
        assertTrue(TrustPolicyRules.matches(policy, "repo:lsst-sqre/foo:ref:refs/heads/main", Map.of()));
        assertFalse(TrustPolicyRules.matches(policy, "repo:lsst-sqre/foo:ref:refs/heads/main ", Map.of()));
        assertFalse(TrustPolicyRules.matches(policy, "repo:lsst-sqre/foo:ref:refs/heads/mai", Map.of()));
        assertFalse(TrustPolicyRules.matches(policy, "REPO:lsst-sqre/foo:ref:refs/heads/main", Map.of()));
        // An exact subject is not a pattern: its dots are dots.
        TrustPolicy dotted = new TrustPolicy("ci", "github", "a.b", null, null, null, List.of("write:sasquatch"), null);
        assertFalse(TrustPolicyRules.matches(dotted, "axb", Map.of()));
    }

    @Test
    void everyClaimMustHoldAsAString() {
        TrustPolicy policy = new TrustPolicy("ci", "github", null, "repo:lsst-sqre/.*",
                Map.of("repository_owner", "lsst-sqre"),
                Map.of("workflow_ref", "lsst-sqre/foo/\\.github/workflows/release\\.yaml@refs/tags/.*"),
                List.of("write:sasquatch"), null);
        String subject = "repo:lsst-sqre/foo:ref:refs/tags/1.0";
        Map<String, Object> claims = Map.of("repository_owner", "lsst-sqre",
                "workflow_ref", "lsst-sqre/foo/.github/workflows/release.yaml@refs/tags/1.0");
        assertTrue(TrustPolicyRules.matches(policy, subject, claims));
        assertFalse(TrustPolicyRules.matches(policy, subject, Map.of("workflow_ref", claims.get("workflow_ref"))),
                "a missing claim never matches");
        assertFalse(TrustPolicyRules.matches(policy, subject, Map.of("repository_owner", "lsst-sqre-evil",
                "workflow_ref", claims.get("workflow_ref"))));
        assertFalse(TrustPolicyRules.matches(policy, subject, Map.of("repository_owner", "lsst-sqre",
                "workflow_ref", "lsst-sqre/foo/.github/workflows/release.yaml@refs/heads/main")));
        assertFalse(TrustPolicyRules.matches(policy, subject, Map.of("repository_owner", List.of("lsst-sqre"),
                "workflow_ref", claims.get("workflow_ref"))), "a claim that is not a string never matches");
    }

    @Test
    void aPatternThatBacktracksWithoutEndDoesNotMatch() {
        TrustPolicy policy = new TrustPolicy("ci", "github", null, "(a+)+$", null, null, List.of("write:sasquatch"), null);
        long start = System.nanoTime();
        assertFalse(TrustPolicyRules.matches(policy, "a".repeat(40) + "!", Map.of()));
        assertTrue(TrustPolicyRules.matches(policy, "aaaa", Map.of()));
        // Not a timing assertion: the budget is counted in character reads. This only reports.
        System.out.printf("catastrophic pattern refused after %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    static Stream<Arguments> invalidPolicies() {
        List<String> scopes = List.of("write:sasquatch");
        return Stream.of(
                Arguments.of(new TrustPolicy("CI", "github", "s", null, null, null, scopes, null), "name", "trust-policy-name"),
                Arguments.of(new TrustPolicy("ci", "gitlab", "s", null, null, null, scopes, null), "issuer", "unknown-issuer"),
                Arguments.of(new TrustPolicy("ci", "github", null, null, null, null, scopes, null), "subject", "subject-exactly-once"),
                Arguments.of(new TrustPolicy("ci", "github", "s", "s.*", null, null, scopes, null), "subject_pattern", "subject-exactly-once"),
                Arguments.of(new TrustPolicy("ci", "github", null, "repo:(", null, null, scopes, null), "subject_pattern", "invalid-pattern"),
                Arguments.of(new TrustPolicy("ci", "github", null, "x".repeat(257), null, null, scopes, null), "subject_pattern", "pattern-length"),
                Arguments.of(new TrustPolicy("ci", "github", "line\nbreak", null, null, null, scopes, null), "subject", "claim-value"),
                Arguments.of(new TrustPolicy("ci", "github", "s", null, Map.of("bad name", "x"), null, scopes, null), "claims", "claim-name"),
                Arguments.of(new TrustPolicy("ci", "github", "s", null, Map.of("aud", "x"), null, scopes, null), "claims.aud", "claim-verified-elsewhere"),
                Arguments.of(new TrustPolicy("ci", "github", "s", null, null, Map.of("ref", "[unclosed"), scopes, null), "claim_patterns.ref", "invalid-pattern"),
                Arguments.of(new TrustPolicy("ci", "github", "s", null, null, null, List.of(), null), "scopes", "scopes-required"),
                Arguments.of(new TrustPolicy("ci", "github", "s", null, null, null, List.of("admin:token"), null), "scopes", "scope-not-allowed"),
                Arguments.of(new TrustPolicy("ci", "github", "s", null, null, null, scopes, Duration.ofHours(13)), "max_lifetime", "lifetime-out-of-range"),
                Arguments.of(new TrustPolicy("ci", "github", "s", null, null, null, scopes, Duration.ZERO), "max_lifetime", "lifetime-out-of-range"));
    }

    @ParameterizedTest
    @MethodSource("invalidPolicies")
    void aBrokenRuleIsNamedWithItsField(TrustPolicy policy, String field, String rule) {
        List<Violation> violations = TrustPolicyRules.validate(policy, ISSUERS, SCOPES, MAX);
        assertTrue(violations.stream().anyMatch(v -> v.field().equals(field) && v.rule().equals(rule)),
                field + "/" + rule + " in " + violations);
    }

    @Test
    void aGoodPolicyBreaksNoRule() {
        TrustPolicy policy = new TrustPolicy("release-ci", "github", null, "repo:lsst-sqre/foo:ref:refs/tags/.*",
                Map.of("repository_owner", "lsst-sqre"), Map.of("workflow_ref", ".*@refs/tags/.*"),
                List.of("write:sasquatch"), Duration.ofMinutes(30));
        assertEquals(List.of(), TrustPolicyRules.validate(policy, ISSUERS, SCOPES, MAX));
    }
}
