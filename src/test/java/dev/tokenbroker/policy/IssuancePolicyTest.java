package dev.tokenbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IssuancePolicyTest {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00.750Z");

    static final PolicySettings DEFAULTS = new PolicySettings("bot-", Set.of("write:sasquatch", "read:sasquatch"),
            Set.of("write:sasquatch"), Duration.parse("P90D"), Duration.parse("P365D"), "admin:token", false);

    final IssuancePolicy policy = new IssuancePolicy(DEFAULTS);

    static Caller person(String... scopes) {
        return new Caller("alice", Set.of(scopes), "user", "aliceTokenKey000000000");
    }

    static TokenRequest request(String username) {
        return new TokenRequest(username, "A bot", "service", List.of("write:sasquatch"), null, Set.of());
    }

    Decision.Allowed allowed(Caller caller, TokenRequest request) {
        return assertInstanceOf(Decision.Allowed.class, policy.decide(caller, request, NOW));
    }

    Violation onlyViolation(Caller caller, TokenRequest request) {
        Decision.Denied denied = assertInstanceOf(Decision.Denied.class, policy.decide(caller, request, NOW));
        assertEquals(1, denied.violations().size(), () -> denied.violations().toString());
        return denied.violations().get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bot-1", "bot-a", "bot-sasquatch-writer", "bot-a1-b2"})
    void acceptsGafaelfawrBotNames(String username) {
        assertEquals(username, allowed(person("write:sasquatch"), request(username)).username());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bot-", "bot--x", "bot-x-", "Bot-x", "bot_a", "a1", "bot-a\n", "bot-a b", "-x", "x-",
        "x--y", "1234567", "bot-é"})
    void refusesNamesBreakingGafaelfawrsPattern(String username) {
        Violation violation = onlyViolation(person("write:sasquatch"), request(username));
        assertEquals("username", violation.field());
        assertEquals(Violation.Kind.INVALID, violation.kind());
        assertTrue(Set.of("username-pattern", "username-bot").contains(violation.rule()), violation.rule());
    }

    @Test
    void refusesValidUsernamesThatAreNotBots() {
        Violation violation = onlyViolation(person("write:sasquatch"), request("alice"));
        assertEquals("username-bot", violation.rule());
        assertTrue(violation.message().contains("bot-"));
    }

    @Test
    void countsTheSixtyFourCharacterLimit() {
        String sixtyFour = "bot-" + "a".repeat(60);
        allowed(person("write:sasquatch"), request(sixtyFour));
        Violation violation = onlyViolation(person("write:sasquatch"), request(sixtyFour + "a"));
        assertEquals("username-length", violation.rule());
    }

    @Test
    void requiresAUsername() {
        assertEquals("username-required", onlyViolation(person("write:sasquatch"), request(null)).rule());
        assertEquals("username-required", onlyViolation(person("write:sasquatch"), request("")).rule());
    }

    @Test
    void enforcesTheConfiguredPrefix() {
        IssuancePolicy ci = new IssuancePolicy(new PolicySettings("bot-ci-", DEFAULTS.allowedScopes(),
                DEFAULTS.defaultScopes(), DEFAULTS.defaultLifetime(), DEFAULTS.maxLifetime(), "admin:token", false));
        assertInstanceOf(Decision.Allowed.class, ci.decide(person("write:sasquatch"), request("bot-ci-jenkins"), NOW));
        Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
                ci.decide(person("write:sasquatch"), request("bot-jenkins"), NOW));
        assertEquals("username-prefix", denied.violations().get(0).rule());
        assertTrue(denied.violations().get(0).message().contains("bot-ci-"));
    }

    @Test
    void defaultsScopesAndLifetime() {
        TokenRequest request = new TokenRequest("bot-a", null, null, null, null, Set.of());
        Decision.Allowed decision = allowed(person("write:sasquatch"), request);
        assertEquals(List.of("write:sasquatch"), decision.scopes());
        assertEquals(Instant.parse("2026-11-27T12:00:00Z").plus(Duration.ofDays(90)), decision.expires());
    }

    @Test
    void defaultScopesStillRequireTheCallerToHoldThem() {
        TokenRequest request = new TokenRequest("bot-a", null, null, null, null, Set.of());
        Violation violation = onlyViolation(person("read:sasquatch"), request);
        assertEquals("scope-not-held", violation.rule());
        assertEquals(List.of("write:sasquatch"), allowed(person("admin:token"), request).scopes());
    }

    @Test
    void collapsesDuplicateScopesAndSortsThem() {
        TokenRequest request = new TokenRequest("bot-a", null, null,
                List.of("write:sasquatch", "read:sasquatch", "write:sasquatch"), null, Set.of());
        Decision.Allowed decision = allowed(person("write:sasquatch", "read:sasquatch"), request);
        assertEquals(List.of("read:sasquatch", "write:sasquatch"), decision.scopes());
    }

    @Test
    void refusesScopesOutsideTheAllowList() {
        TokenRequest request = new TokenRequest("bot-a", null, null, List.of("exec:admin"), null, Set.of());
        Violation violation = onlyViolation(person("exec:admin", "admin:token"), request);
        assertEquals("scope-not-allowed", violation.rule());
        assertEquals(Violation.Kind.FORBIDDEN, violation.kind());
        assertEquals("scopes", violation.field());
    }

    @Test
    void refusesReservedScopesEvenToAdmins() {
        TokenRequest request = new TokenRequest("bot-a", null, null, List.of("admin:token"), null, Set.of());
        assertEquals("scope-not-allowed", onlyViolation(person("admin:token"), request).rule());
    }

    @Test
    void refusesEmptyAndNullScopes() {
        assertEquals("scopes-empty", onlyViolation(person("write:sasquatch"),
                new TokenRequest("bot-a", null, null, List.of(), null, Set.of())).rule());
        assertEquals("scopes-null", onlyViolation(person("write:sasquatch"),
                new TokenRequest("bot-a", null, null, java.util.Arrays.asList("write:sasquatch", null), null,
                        Set.of())).rule());
    }

    @Test
    void callersMayOnlyDelegateScopesTheyHold() {
        Violation violation = onlyViolation(person("read:sasquatch"), request("bot-a"));
        assertEquals("scope-not-held", violation.rule());
        assertEquals(Violation.Kind.FORBIDDEN, violation.kind());
        assertTrue(violation.message().contains("write:sasquatch"));
    }

    @Test
    void adminScopeHoldersDelegateAnyAllowedScope() {
        assertEquals(List.of("write:sasquatch"), allowed(person("admin:token"), request("bot-a")).scopes());
    }

    @Test
    void refusesServiceCallersUnlessConfigured() {
        Caller service = new Caller("bot-ci", Set.of("write:sasquatch"), "service", "botTokenKey00000000000");
        Violation violation = onlyViolation(service, request("bot-a"));
        assertEquals("service-caller", violation.rule());
        assertEquals(null, violation.field());
        IssuancePolicy permissive = new IssuancePolicy(new PolicySettings("bot-", DEFAULTS.allowedScopes(),
                DEFAULTS.defaultScopes(), DEFAULTS.defaultLifetime(), DEFAULTS.maxLifetime(), "admin:token", true));
        assertInstanceOf(Decision.Allowed.class, permissive.decide(service, request("bot-a"), NOW));
    }

    @Test
    void botsDelegatedByTheIngressAreServiceCallersToo() {
        Caller delegatedBot = new Caller("bot-jenkins", Set.of("write:sasquatch"), "internal", "k");
        assertEquals("service-caller", onlyViolation(delegatedBot, request("bot-a")).rule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "user", "notebook"})
    void acceptsTokensThatStandForAPerson(String type) {
        allowed(new Caller("alice", Set.of("write:sasquatch"), type, "k"), request("bot-a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bot\u0000x", "a\nb", "tab\there", "del\u007f", "c1\u0085", "sep\u2028",
        "lone\ud800", "lone\udc00x"})
    void refusesControlCharactersAndBrokenTextInTheName(String name) {
        TokenRequest request = new TokenRequest("bot-a", name, null, null, null, null);
        assertEquals("name-characters", onlyViolation(person("write:sasquatch"), request).rule());
    }

    @Test
    void acceptsEveryPrintableName() {
        allowed(person("write:sasquatch"), new TokenRequest("bot-a", "Jenkins \u2014 metrics \ud83d\ude80 \u00e9", null,
                null, null, null));
    }

    @Test
    void refusesIdentityOverridesAndUnknownFieldsByName() {
        TokenRequest request = new TokenRequest("bot-a", null, null, null, null, Set.of("uid", "groups", "scope"));
        Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
                policy.decide(person("write:sasquatch"), request, NOW));
        assertEquals(List.of("groups", "scope", "uid"), denied.violations().stream().map(Violation::field).toList());
        assertEquals(List.of("identity-override", "unknown-field", "identity-override"),
                denied.violations().stream().map(Violation::rule).toList());
    }

    @Test
    void refusesTokenTypesOtherThanService() {
        TokenRequest request = new TokenRequest("bot-a", null, "user", null, null, Set.of());
        Violation violation = onlyViolation(person("write:sasquatch"), request);
        assertEquals("token_type", violation.field());
    }

    @Test
    void boundsTheDisplayName() {
        TokenRequest longest = new TokenRequest("bot-a", "n".repeat(256), null, null, null, Set.of());
        allowed(person("write:sasquatch"), longest);
        for (String name : List.of("", "   ", "n".repeat(257))) {
            TokenRequest request = new TokenRequest("bot-a", name, null, null, null, Set.of());
            assertEquals("name-length", onlyViolation(person("write:sasquatch"), request).rule());
        }
    }

    @Test
    void boundsTheLifetime() {
        Instant justEnough = NOW.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertEquals(justEnough.getEpochSecond(),
                allowed(person("write:sasquatch"), expiring(justEnough)).expires().getEpochSecond());
        assertEquals("expires-past", onlyViolation(person("write:sasquatch"), expiring(NOW.minusSeconds(1))).rule());
        assertEquals("expires-too-soon",
                onlyViolation(person("write:sasquatch"), expiring(NOW.plus(Duration.ofMinutes(4)))).rule());
        assertEquals("expires-too-late",
                onlyViolation(person("write:sasquatch"), expiring(NOW.plus(Duration.ofDays(366)))).rule());
        allowed(person("write:sasquatch"), expiring(NOW.plus(Duration.ofDays(365))));
    }

    @Test
    void dropsTheSubSecondPartOfTheExpiry() {
        Instant asked = Instant.parse("2027-01-01T00:00:00.999Z");
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), allowed(person("write:sasquatch"), expiring(asked)).expires());
    }

    @Test
    void reportsEveryBrokenRuleAtOnce() {
        TokenRequest request = new TokenRequest("Bot-x", "", "user", List.of("read:tap"), NOW, Set.of("email"));
        Decision.Denied denied = assertInstanceOf(Decision.Denied.class,
                policy.decide(person("write:sasquatch"), request, NOW));
        assertEquals(Set.of("email", "token_type", "username", "name", "scopes", "expires"),
                Set.copyOf(denied.violations().stream().map(Violation::field).toList()));
        assertTrue(denied.invalid());
    }

    static TokenRequest expiring(Instant expires) {
        return new TokenRequest("bot-a", null, null, null, expires, Set.of());
    }
}
