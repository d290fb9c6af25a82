package dev.tokenbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Who may call the broker at all, whatever the route. */
class CallerRuleTest {

    final CallerRule rule = new CallerRule("service-token-broker", Set.of("trusted-app"));

    static Caller caller(String username, String type, String service) {
        return new Caller(username, Set.of("write:sasquatch"), type, "k", service);
    }

    String refusal(Caller caller) {
        return rule.refusal(caller).map(Violation::rule).orElse(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "user", "notebook"})
    void admitsTokensThatStandForAPerson(String type) {
        assertEquals(null, refusal(caller("alice", type, null)));
    }

    @Test
    void admitsInternalTokensDelegatedToTheBrokerOnly() {
        assertEquals(null, refusal(caller("alice", "internal", "service-token-broker")));
        assertEquals("caller-delegated-elsewhere", refusal(caller("alice", "internal", "portal")));
        assertEquals("caller-delegated-elsewhere", refusal(caller("alice", "internal", null)));
        // A bot's token delegated elsewhere is refused as well: being a bot is no pass.
        assertEquals("caller-delegated-elsewhere", refusal(caller("bot-jenkins", "internal", "portal")));
    }

    @Test
    void admitsBotsWhoseRoutesKeepThemReadOnly() {
        assertEquals(null, refusal(caller("bot-jenkins", "service", null)));
        assertEquals(null, refusal(caller("bot-jenkins", "internal", "service-token-broker")));
    }

    @Test
    void refusesWhatTheIngressSaysWasAnotherApplicationsToken() {
        Caller alice = caller("alice", "internal", "service-token-broker");
        assertEquals("caller-delegated-elsewhere", refusal(alice.presentedVia("portal")));
        assertEquals(null, refusal(alice.presentedVia("trusted-app")), "explicitly allowed by configuration");
        assertEquals(null, refusal(alice.presentedVia("service-token-broker")));
        assertEquals(null, refusal(alice.presentedVia("")), "an empty header says nothing");
        Optional<Violation> refused = rule.refusal(alice.presentedVia("portal"));
        assertTrue(refused.get().message().contains("portal"), refused.get().message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"oidc", "unknown"})
    void refusesTokenTypesThatStandForNobodyHere(String type) {
        assertEquals("caller-token-type", refusal(caller("alice", type, null)));
    }
}
