package dev.tokenbroker.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbroker.emulator.EmulatedToken;
import dev.tokenbroker.emulator.DemoIssuer;
import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.lifecycle.Broker.Answer;
import dev.tokenbroker.support.AuditDatabase;
import dev.tokenbroker.support.EmulatorTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One run of the model-based lifecycle test: the real broker (over HTTP, on the emulator)
 * beside a model of what it should hold, namely who owns each bot, which tokens the
 * broker minted and which of them live, rotated or not. Every step is one caller's
 * action; after it, {@link #checkInvariants} compares the model with the emulator and
 * with the broker's own answers.
 */
final class World {

    /** What the broker minted, as the model remembers it. */
    static final class Minted {
        final String key;
        final String bot;
        final String requester;
        Instant graceEnds;

        Minted(String key, String bot, String requester) {
            this.key = key;
            this.bot = bot;
            this.requester = requester;
        }
    }

    /** A caller: its token, who it is, and the header the ingress adds for it (if any). */
    record Actor(String name, String username, String token, Map<String, String> headers, boolean admin,
            boolean bot, boolean refusedAtTheDoor) {
    }

    static final String GROUP = "g_model";
    static final int QUOTA = 3;
    /** Past a rotation's grace, the revocation job (every second here) has this long to act. */
    static final Duration REVOCATION_SLACK = Duration.ofSeconds(4);

    final Broker broker;
    final EmulatorState emulator;
    final AuditDatabase audit;
    final ExecutorService pool;
    final String brokerIdentity;
    final List<String> bots = new ArrayList<>();
    final Map<String, Actor> actors = new LinkedHashMap<>();
    final Map<String, TreeSet<String>> ownerUsers = new HashMap<>();
    final Map<String, TreeSet<String>> ownerGroups = new HashMap<>();
    final Set<String> hadTokens = new HashSet<>();
    final Map<String, Minted> minted = new LinkedHashMap<>();
    /** Idempotency-Key → the body it was first sent with, by alice. */
    final Map<String, String> mintKeys = new LinkedHashMap<>();
    /** Answers seen, by action and status: what a run exercised. */
    final Map<String, Map<Integer, Integer>> seen;
    /** Trust policies: bot → policy name → the job subject it admits (issuer demo). */
    final Map<String, Map<String, String>> trustPolicies = new HashMap<>();
    /** Job subjects the demo issuer signs for: two a policy may name, and one that almost matches. */
    static final List<String> SUBJECTS = List.of("repo:lsst-sqre/model:ref:refs/heads/main",
            "repo:lsst-sqre/model:ref:refs/heads/dev", "repo:lsst-sqre/model:ref:refs/heads/main2");
    DemoIssuer issuer;
    boolean carolInGroup;
    Instant carolLeftAt = Instant.EPOCH;
    int steps;

    World(Broker broker, EmulatorState emulator, AuditDatabase audit, ExecutorService pool, String brokerIdentity,
            int run, Map<String, Map<Integer, Integer>> seen) {
        this.seen = seen;
        this.broker = broker;
        this.emulator = emulator;
        this.audit = audit;
        this.pool = pool;
        this.brokerIdentity = brokerIdentity;
        String tag = Long.toString(System.nanoTime(), 36) + run;
        for (String name : List.of("a", "b", "c")) {
            bots.add("bot-model-" + name + "-" + tag);
        }
        bots.add(brokerIdentity); // nobody may obtain or own the broker's own identity
        String alice = EmulatorTokens.person(emulator, "alice", "write:sasquatch");
        person("alice", alice, Map.of());
        person("bob", EmulatorTokens.person(emulator, "bob", "write:sasquatch"), Map.of());
        person("carol", EmulatorTokens.person(emulator, "carol", "write:sasquatch"), Map.of());
        actors.put("root", new Actor("root", "root",
                EmulatorTokens.person(emulator, "root", "write:sasquatch", "admin:token"), Map.of(), true, false,
                false));
        actors.put("portal", new Actor("portal", "alice",
                emulator.delegate("alice", "portal", List.of("write:sasquatch")).value(), Map.of(), false, false,
                true));
        actors.put("via-portal", new Actor("via-portal", "alice", alice, Map.of("X-Auth-Request-Service", "portal"),
                false, false, true));
        emulator.setGroups("carol", List.of());
    }

    private void person(String name, String token, Map<String, String> headers) {
        actors.put(name, new Actor(name, name, token, headers, false, false, false));
    }

    // ---- what the model says may happen ----

    boolean owns(Actor actor, String bot, boolean groupAsOfCache) {
        boolean byGroup = ownerGroups.getOrDefault(bot, new TreeSet<>()).contains(GROUP) && actor.name().equals("carol")
                && (carolInGroup || groupAsOfCache && Duration.between(carolLeftAt, Instant.now()).toSeconds() < 31);
        return ownerUsers.getOrDefault(bot, new TreeSet<>()).contains(actor.username()) || byGroup;
    }

    boolean mayManage(Actor actor, String bot) {
        return !actor.refusedAtTheDoor() && !actor.bot() && !bot.equals(brokerIdentity)
                && (actor.admin() || owns(actor, bot, false));
    }

    /** Mints trust the caller cache (30 s): a group left a moment ago may still count. */
    boolean mayMint(Actor actor, String bot) {
        if (actor.refusedAtTheDoor() || actor.bot() || bot.equals(brokerIdentity)) {
            return false;
        }
        boolean nobodyOwns = ownerUsers.getOrDefault(bot, new TreeSet<>()).isEmpty()
                && ownerGroups.getOrDefault(bot, new TreeSet<>()).isEmpty();
        return actor.admin() || owns(actor, bot, true) || nobodyOwns && !hadTokens.contains(bot);
    }

    // ---- actions ----

    void mint(Actor actor, String bot, String idempotencyKey) {
        boolean allowed = mayMint(actor, bot);
        String body = Broker.json(Map.of("username", bot, "name", "model"));
        Map<String, String> headers = new HashMap<>(actor.headers());
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        long creates = emulator.createRequests();
        Answer answer = broker.call("POST", "/service-tokens", actor.token(), headers, body);
        expect(answer, allowed, creates, "mint of " + bot + " by " + actor.name());
        if (answer.status() == 201) {
            recordMint(actor, bot, answer);
            if (idempotencyKey != null && actor.name().equals("alice")) {
                mintKeys.putIfAbsent(idempotencyKey, body);
            }
            String replaced = answer.header("Idempotency-Replaced");
            if (replaced != null) {
                minted.remove(replaced);
            }
        }
    }

    void replayMint(String idempotencyKey) {
        Actor alice = actors.get("alice");
        String body = mintKeys.get(idempotencyKey);
        String bot = bodyBot(body);
        long creates = emulator.createRequests();
        Answer answer = broker.call("POST", "/service-tokens", alice.token(), Map.of("Idempotency-Key", idempotencyKey),
                body);
        expect(answer, mayMint(alice, bot), creates, "replayed mint of " + bot);
        if (answer.status() == 201) {
            String replaced = answer.header("Idempotency-Replaced");
            assertTrue(replaced == null || !live(replaced), "the token a replay replaces is revoked");
            if (replaced != null) {
                minted.remove(replaced);
            }
            recordMint(alice, bot, answer);
        }
    }

    private static String bodyBot(String body) {
        return body.replaceAll(".*\"username\":\"([^\"]+)\".*", "$1");
    }

    private void recordMint(Actor actor, String bot, Answer answer) {
        String key = answer.json().path("key").asText();
        assertEquals(actor.username(), answer.json().path("requested_by").asText());
        minted.put(key, new Minted(key, bot, actor.username()));
        boolean nobodyOwned = ownerUsers.getOrDefault(bot, new TreeSet<>()).isEmpty()
                && ownerGroups.getOrDefault(bot, new TreeSet<>()).isEmpty();
        if (nobodyOwned && !actor.admin() && !hadTokens.contains(bot)) {
            ownerUsers.put(bot, new TreeSet<>(List.of(actor.username()))); // claimed
        }
        hadTokens.add(bot);
        if (bot.equals(bots.get(0)) && !actors.containsKey("bot")) {
            actors.put("bot", new Actor("bot", bot, answer.json().path("token").asText(), Map.of(), false, true, false));
        }
    }

    /** An owner (or admin) writes a trust policy admitting one job subject. */
    void putTrustPolicy(Actor actor, String bot, String name, String subject) {
        boolean allowed = mayManage(actor, bot);
        long creates = emulator.createRequests();
        Answer answer = broker.call("PUT", "/bots/" + bot + "/trust-policies/" + name, actor.token(), actor.headers(),
                Broker.json(Map.of("issuer", "demo", "subject", subject, "scopes", List.of("write:sasquatch"))));
        expect(answer, allowed, creates, "policy " + name + " of " + bot + " by " + actor.name());
        if (allowed) {
            assertEquals(200, answer.status(), answer.toString());
            trustPolicies.computeIfAbsent(bot, b -> new java.util.TreeMap<>()).put(name, subject);
        }
    }

    void deleteTrustPolicy(Actor actor, String bot, String name) {
        boolean exists = trustPolicies.getOrDefault(bot, Map.of()).containsKey(name);
        boolean allowed = mayManage(actor, bot) && exists;
        long creates = emulator.createRequests();
        Answer answer = broker.call("DELETE", "/bots/" + bot + "/trust-policies/" + name, actor.token(),
                actor.headers(), null);
        expect(answer, allowed, creates, "unpolicy " + name + " of " + bot + " by " + actor.name());
        if (allowed) {
            assertEquals(204, answer.status(), answer.toString());
            trustPolicies.get(bot).remove(name);
        }
    }

    /** A CI job with a fresh identity token asks for a token of the bot; only a policy naming its subject admits it. */
    void exchange(String bot, String subject) {
        boolean allowed = trustPolicies.getOrDefault(bot, Map.of()).containsValue(subject);
        long creates = emulator.createRequests();
        String jobToken = issuer.sign(subject, Map.of(), Duration.ofMinutes(5));
        Answer answer = broker.call("POST", "/federated-tokens", jobToken, Map.of(),
                Broker.json(Map.of("username", bot)));
        expect(answer, allowed, creates, "exchange for " + bot + " as " + subject);
        if (answer.status() == 201) {
            String key = answer.json().path("key").asText();
            assertEquals("demo:" + subject, answer.json().path("requested_by").asText());
            minted.put(key, new Minted(key, bot, "demo:" + subject));
            hadTokens.add(bot);
        }
    }

    void setOwners(Actor actor, String bot, List<String> users, List<String> groups, String extraField) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("users", users);
        body.put("groups", groups);
        if (extraField != null) {
            body.put(extraField, List.of("x"));
        }
        boolean valid = extraField == null && (!users.isEmpty() || !groups.isEmpty())
                && users.stream().noneMatch(u -> u.startsWith("bot-"));
        long creates = emulator.createRequests();
        Answer answer = broker.call("PUT", "/bots/" + bot + "/owners", actor.token(), actor.headers(),
                Broker.json(body));
        expect(answer, mayManage(actor, bot) && valid, creates, "owners of " + bot + " by " + actor.name());
        if (answer.status() == 200) {
            ownerUsers.put(bot, new TreeSet<>(users));
            ownerGroups.put(bot, new TreeSet<>(groups));
        }
    }

    void revoke(Actor actor, String key) {
        Minted token = minted.get(key);
        long creates = emulator.createRequests();
        boolean wasLive = live(key);
        Answer answer = broker.call("DELETE", "/service-tokens/" + key, actor.token(), actor.headers(), null);
        expect(answer, mayManage(actor, token.bot), creates, "revocation of " + key + " by " + actor.name());
        if (answer.status() == 204) {
            assertTrue(!live(key), "revoked at once");
        } else if (wasLive && !graceEnded(token)) {
            assertTrue(live(key), "a refused revocation leaves the token live: " + answer);
        }
    }

    void rotate(Actor actor, String key, Duration grace, int concurrently) throws Exception {
        Minted token = minted.get(key);
        boolean rotatable = live(key) && token.graceEnds == null;
        String body = grace.isZero() ? "{}" : Broker.json(Map.of("grace", grace.toString()));
        long creates = emulator.createRequests();
        List<Answer> answers = burst(concurrently, () -> broker.call("POST", "/service-tokens/" + key + "/rotate",
                actor.token(), actor.headers(), body));
        List<Answer> created = answers.stream().filter(a -> a.status() == 201).toList();
        assertTrue(created.size() <= 1, "a token is rotated at most once: " + answers);
        for (Answer answer : answers) {
            if (answer.status() != 201) {
                expectRefusal(answer, "rotation of " + key + " by " + actor.name());
            } else {
                count("rotation", answer);
            }
        }
        if (created.isEmpty()) {
            assertEquals(creates, emulator.createRequests(), "a refused rotation reached Gafaelfawr: " + answers);
        }
        if (!mayManage(actor, token.bot) || !rotatable) {
            assertEquals(List.of(), created, "rotation refused: managed " + mayManage(actor, token.bot)
                    + ", rotatable " + rotatable);
            assertEquals(creates, emulator.createRequests(), "a refused rotation reached Gafaelfawr");
            return;
        }
        for (Answer answer : created) {
            assertEquals(creates + 1, emulator.createRequests(), "one successor minted");
            token.graceEnds = Instant.now().plus(grace);
            String successor = answer.json().path("key").asText();
            minted.put(successor, new Minted(successor, token.bot, actor.username()));
            if (grace.isZero()) {
                assertTrue(!live(key), "an immediate rotation revokes the old token at once");
            }
        }
    }

    void mintBurst(Actor actor, String bot, int concurrently) throws Exception {
        boolean allowed = mayMint(actor, bot);
        long creates = emulator.createRequests();
        List<Answer> answers = burst(concurrently, () -> broker.call("POST", "/service-tokens", actor.token(),
                actor.headers(), Broker.json(Map.of("username", bot))));
        long successes = answers.stream().filter(a -> a.status() == 201).count();
        for (Answer answer : answers) {
            if (answer.status() == 201) {
                count("burst", answer);
                assertTrue(allowed, "minted although not allowed: " + answer);
                recordMint(actor, bot, answer);
            } else {
                expectRefusal(answer, "burst mint of " + bot);
            }
        }
        assertEquals(creates + successes, emulator.createRequests(), "only the successes reached Gafaelfawr");
    }

    void list(Actor actor, String bot) {
        Answer answer = broker.call("GET", "/service-tokens?username=" + bot, actor.token(), actor.headers(), null);
        if (actor.refusedAtTheDoor()) {
            expectRefusal(answer, "listing by " + actor.name());
            return;
        }
        if (actor.bot() && answer.status() == 401) {
            return; // the bot's own token was revoked or rotated away
        }
        assertEquals(200, answer.status(), answer.toString());
        count("listing", answer);
        boolean mayRead = actor.admin() && !actor.bot() || owns(actor, bot, true)
                || actor.bot() && actor.username().equals(bot);
        for (JsonNode token : answer.json()) {
            assertTrue(mayRead, actor.name() + " sees " + bot + "'s tokens: " + answer);
            assertEquals(bot, token.path("username").asText());
        }
    }

    void changeGroup(boolean join) {
        if (carolInGroup && !join) {
            carolLeftAt = Instant.now();
        }
        carolInGroup = join;
        emulator.setGroups("carol", join ? List.of(GROUP) : List.of());
    }

    void revokeInGafaelfawr(String key) {
        emulator.revoke(key, "an-administrator", "127.0.0.1");
    }

    // ---- checks ----

    private List<Answer> burst(int n, Callable<Answer> call) throws Exception {
        if (n == 1) {
            return List.of(call.call());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> future : futures) {
            answers.add(future.get());
        }
        return answers;
    }

    /** An answer to an action the model allows or refuses; a refused one reached nothing upstream. */
    private void count(String action, Answer answer) {
        seen.computeIfAbsent(action, a -> new java.util.TreeMap<>()).merge(answer.status(), 1, Integer::sum);
    }

    private void expect(Answer answer, boolean allowed, long createsBefore, String what) {
        if (allowed) {
            count(what.substring(0, what.indexOf(' ')), answer);
        }
        if (!allowed) {
            expectRefusal(answer, what);
            assertEquals(createsBefore, emulator.createRequests(), "a refused " + what + " reached Gafaelfawr");
        } else if (answer.status() >= 500) {
            fail(what + ": " + answer);
        } else if (answer.status() >= 400) {
            assertTrue(answer.contentType().startsWith("application/problem+json"), what + ": " + answer);
        }
    }

    private void expectRefusal(Answer answer, String what) {
        count(what.substring(0, what.indexOf(' ')), answer);
        assertTrue(answer.status() >= 400 && answer.status() < 500, what + " must be refused: " + answer);
        assertTrue(answer.contentType().startsWith("application/problem+json"), what + ": " + answer);
    }

    boolean live(String key) {
        return emulator.isLive(key);
    }

    private boolean graceEnded(Minted token) {
        return token.graceEnds != null && Instant.now().isAfter(token.graceEnds);
    }

    /** After every step: the emulator, the broker's answers and the model agree. */
    void checkInvariants() {
        checkTrustPolicies();
        steps++;
        Actor root = actors.get("root");
        for (String bot : bots) {
            // The listing first: the revocation job may end a grace at any moment, and a token live in the
            // emulator after the listing was read was live when it was read (nothing else mints meanwhile).
            Answer listed = broker.call("GET", "/service-tokens?username=" + bot + "&state=active", root.token(),
                    Map.of(), null);
            List<EmulatedToken> live = emulator.liveTokensOf(bot);
            if (bot.equals(brokerIdentity)) {
                assertTrue(live.stream().noneMatch(t -> minted.containsKey(t.key())),
                        "no token of the broker's own identity was obtained through it");
                continue;
            }
            long inGrace = live.stream().map(t -> minted.get(t.key()))
                    .filter(t -> t != null && t.graceEnds != null).count(); // from the same snapshot
            assertTrue(live.size() <= QUOTA + inGrace, bot + " holds " + live.size() + " live tokens, quota " + QUOTA
                    + " + " + inGrace + " in grace");
            for (EmulatedToken token : live) {
                Minted known = minted.get(token.key());
                assertTrue(known != null, "live token " + token.key() + " of " + bot + " is unaccounted for");
                assertEquals(1, audit.count("outcome = 'issued' AND token_key = ? AND caller_username = ?",
                        token.key(), known.requester), "the issuance of " + token.key() + " audited with its actor");
            }
            assertEquals(200, listed.status(), listed.toString());
            Set<String> active = new HashSet<>();
            listed.json().forEach(t -> active.add(t.path("key").asText()));
            for (EmulatedToken token : live) {
                assertTrue(active.contains(token.key()), "live token " + token.key() + " listed active");
            }
            Answer owners = broker.call("GET", "/bots/" + bot, root.token(), Map.of(), null);
            if (owners.status() == 200) {
                assertEquals(ownerUsers.getOrDefault(bot, new TreeSet<>()).stream().toList(),
                        jsonList(owners.json().path("owners").path("users")), "owners of " + bot);
                assertEquals(ownerGroups.getOrDefault(bot, new TreeSet<>()).stream().toList(),
                        jsonList(owners.json().path("owners").path("groups")), "owner groups of " + bot);
            } else {
                assertEquals(404, owners.status());
                assertTrue(ownerUsers.getOrDefault(bot, new TreeSet<>()).isEmpty(), "a known owner set vanished");
            }
        }
        for (Minted token : minted.values()) {
            if (token.graceEnds != null && Instant.now().isAfter(token.graceEnds.plus(REVOCATION_SLACK))) {
                assertTrue(!live(token.key), token.key + " outlived its rotation's grace");
            }
        }
    }

    /** The broker's trust policies are the model's, for every bot (as an admin lists them). */
    void checkTrustPolicies() {
        for (String bot : bots) {
            Answer listed = broker.call("GET", "/bots/" + bot + "/trust-policies", actors.get("root").token(), Map.of(),
                    null);
            assertEquals(200, listed.status(), listed.toString());
            List<String> names = new ArrayList<>();
            listed.json().forEach(policy -> names.add(policy.path("name").asText()));
            assertEquals(new ArrayList<>(trustPolicies.getOrDefault(bot, new java.util.TreeMap<>()).keySet()), names,
                    bot + "'s trust policies");
        }
    }

    void checkAuditChain() {
        Answer verified = broker.call("GET", "/audit/verify", actors.get("root").token(), Map.of(), null);
        assertEquals(200, verified.status(), verified.toString());
        assertTrue(verified.json().path("intact").asBoolean(), "the audit chain verifies: " + verified);
    }

    private static List<String> jsonList(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
