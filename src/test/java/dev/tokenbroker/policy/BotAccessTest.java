package dev.tokenbroker.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Who may read and manage a bot, and what an owner set may hold. */
class BotAccessTest {

    final BotAccess access = new BotAccess("admin:token");
    final Owners aliceOwns = new Owners(List.of("alice"), List.of("g_team"));

    @Test
    void ownersAndAdminsManageButBotsNeverDo() {
        assertTrue(access.mayManage(new Caller("alice", Set.of(), "user", "k"), aliceOwns));
        assertTrue(access.mayManage(new Caller("carol", Set.of(), "user", "k", null, Set.of("g_team")), aliceOwns));
        assertTrue(access.mayManage(new Caller("root", Set.of("admin:token"), "user", "k"), aliceOwns));
        assertFalse(access.mayManage(new Caller("bob", Set.of(), "user", "k"), aliceOwns));
        Caller botAdmin = new Caller("bot-god", Set.of("admin:token"), "service", "k");
        assertFalse(access.mayManage(botAdmin, aliceOwns), "a bot manages nothing, whatever its scopes");
        assertFalse(access.seesEverything(botAdmin));
    }

    @Test
    void aBotReadsItselfOnly() {
        Caller bot = new Caller("bot-ci", Set.of("write:sasquatch"), "service", "k");
        assertTrue(access.mayRead(bot, "bot-ci", aliceOwns));
        assertFalse(access.mayRead(bot, "bot-other", aliceOwns));
        assertFalse(access.mayManage(bot, new Owners(List.of("bot-ci"), List.of())));
    }

    @Test
    void botsCannotBeOwnersAndOnlyDistinctOwnersCount() {
        List<Violation> refused = access.checkOwners(List.of("alice", "bot-ci"), List.of());
        assertEquals(List.of("owner-username"), refused.stream().map(Violation::rule).toList());
        assertEquals("users[1]", refused.get(0).field());
        List<String> fifty = IntStream.range(0, 50).mapToObj(i -> "user" + i).toList();
        List<String> repeated = new java.util.ArrayList<>(fifty);
        repeated.addAll(Collections.nCopies(10, "user0"));
        assertEquals(List.of(), access.checkOwners(repeated, List.of()));
        assertEquals(List.of("owners-too-many"), access.checkOwners(fifty, List.of("g_one")).stream()
                .map(Violation::rule).toList());
    }

    @Test
    void theBrokersOwnIdentityIsUntouchable() {
        assertEquals("broker-identity", BotAccess.untouchable("bot-service-token-broker", "bot-service-token-broker")
                .orElseThrow().rule());
        assertTrue(BotAccess.untouchable("bot-other", "bot-service-token-broker").isEmpty());
    }
}
