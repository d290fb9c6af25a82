package dev.tokenbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicySettingsTest {

    static PolicySettings settings(String prefix, Set<String> allowed, Set<String> defaults, String defaultLifetime,
            String maxLifetime) {
        return new PolicySettings(prefix, allowed, defaults, Duration.parse(defaultLifetime),
                Duration.parse(maxLifetime), "admin:token", false);
    }

    static InvalidSettingException refused(String prefix, Set<String> allowed, Set<String> defaults,
            String defaultLifetime, String maxLifetime) {
        return assertThrows(InvalidSettingException.class,
                () -> settings(prefix, allowed, defaults, defaultLifetime, maxLifetime));
    }

    @Test
    void acceptsTheDefaults() {
        PolicySettings settings = settings("bot-", Set.of("write:sasquatch"), Set.of("write:sasquatch"), "P90D", "P365D");
        assertEquals(Duration.ofDays(90), settings.defaultLifetime());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "svc-", "bot", "Bot-", "bot_"})
    void refusesPrefixesThatDoNotStartWithBot(String prefix) {
        assertEquals("username-prefix",
                refused(prefix, Set.of("write:sasquatch"), Set.of("write:sasquatch"), "P90D", "P365D").setting());
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin:token", "user:token", "admin:userinfo"})
    void refusesReservedScopes(String scope) {
        InvalidSettingException e = refused("bot-", Set.of("write:sasquatch", scope), Set.of("write:sasquatch"),
                "P90D", "P365D");
        assertEquals("allowed-scopes", e.setting());
        assertTrue(e.getMessage().contains(scope));
    }

    @Test
    void refusesDefaultScopesOutsideTheAllowList() {
        assertEquals("default-scopes",
                refused("bot-", Set.of("write:sasquatch"), Set.of("read:sasquatch"), "P90D", "P365D").setting());
    }

    @Test
    void refusesADefaultLifetimeAboveTheMaximum() {
        assertEquals("default-lifetime",
                refused("bot-", Set.of("write:sasquatch"), Set.of("write:sasquatch"), "P400D", "P365D").setting());
    }

    @Test
    void refusesLifetimesUnderGafaelfawrsFloor() {
        assertEquals("max-lifetime",
                refused("bot-", Set.of("write:sasquatch"), Set.of("write:sasquatch"), "PT1M", "PT4M").setting());
        assertEquals("default-lifetime",
                refused("bot-", Set.of("write:sasquatch"), Set.of("write:sasquatch"), "PT1M", "P1D").setting());
    }

    @Test
    void refusesAnEmptyAllowList() {
        assertEquals("allowed-scopes", refused("bot-", Set.of(), Set.of("write:sasquatch"), "P90D", "P365D").setting());
    }
}
