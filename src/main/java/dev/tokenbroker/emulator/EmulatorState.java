package dev.tokenbroker.emulator;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's tokens and history, in memory; seeded from the {@code emulator.*} settings
 * of the dev and test profiles. Plain {@code @ConfigProperty} rather than a {@code @ConfigMapping}:
 * a mapping would be registered in the packaged jar too, which holds no emulator class.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class EmulatorState {

    private static final Pattern TOKEN = Pattern.compile("^gt-([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{22})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Set<String> knownScopes;
    private final Set<String> withdrawnScopes = ConcurrentHashMap.newKeySet();
    private final Map<String, EmulatedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> displayNames = new ConcurrentHashMap<>();
    private final Map<String, List<String>> groups = new ConcurrentHashMap<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final AtomicLong historyIds = new AtomicLong();
    private final AtomicLong createRequests = new AtomicLong();
    private final AtomicLong tokenInfoRequests = new AtomicLong();

    @Inject
    public EmulatorState(Clock clock,
            @ConfigProperty(name = "emulator.known-scopes") List<String> knownScopes,
            @ConfigProperty(name = "emulator.admin-token") Optional<String> adminToken,
            @ConfigProperty(name = "emulator.admin-username") String adminUsername,
            @ConfigProperty(name = "emulator.demo-token") Optional<String> demoToken,
            @ConfigProperty(name = "emulator.demo-username") String demoUsername,
            @ConfigProperty(name = "emulator.demo-scopes") List<String> demoScopes) {
        this.clock = clock;
        this.knownScopes = Set.copyOf(knownScopes);
        adminToken.ifPresent(token -> seed(token, adminUsername, "service", List.of("admin:token")));
        demoToken.ifPresent(token -> seed(token, demoUsername, "user", demoScopes));
    }

    private void seed(String value, String username, String type, List<String> scopes) {
        Matcher matcher = TOKEN.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("emulator seed token for " + username + " is not gt-<key>.<secret>");
        }
        put(new EmulatedToken(matcher.group(1), matcher.group(2), username, type, scopes, now(), null,
                "user".equals(type) ? "seed" : null));
    }

    /** Counts every POST /tokens that arrived, whatever its answer: proof that a refused request never got here. */
    void countCreateRequest() {
        createRequests.incrementAndGet();
    }

    public long createRequests() {
        return createRequests.get();
    }

    private final Map<String, AtomicLong> tokenInfoRequestsByKey = new ConcurrentHashMap<>();

    void countTokenInfoRequest(String key) {
        tokenInfoRequests.incrementAndGet();
        if (key != null) {
            tokenInfoRequestsByKey.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** How many GET /token-info presented this token (key): unlike the total, the readiness check does not add to it. */
    public long tokenInfoRequests(String key) {
        AtomicLong count = tokenInfoRequestsByKey.get(key);
        return count == null ? 0 : count.get();
    }

    /** How many GET /token-info arrived: proof that callers' tokens are looked up once, not per request. */
    public long tokenInfoRequests() {
        return tokenInfoRequests.get();
    }

    public long now() {
        return clock.instant().getEpochSecond();
    }

    public boolean knows(String scope) {
        return knownScopes.contains(scope) && !withdrawnScopes.contains(scope);
    }

    /** Makes the environment forget a scope, as one whose Gafaelfawr does not define it: creates asking for it are 422. */
    public void withdrawScope(String scope) {
        withdrawnScopes.add(scope);
    }

    public void restoreScope(String scope) {
        withdrawnScopes.remove(scope);
    }

    /** Adds a token as it is, e.g. one that has already expired. */
    public void put(EmulatedToken token) {
        tokens.put(token.key(), token);
    }

    /** The token behind a well-formed string, if it exists, matches its secret and has not expired. */
    Optional<EmulatedToken> valid(String key, String secret) {
        EmulatedToken token = tokens.get(key);
        if (token == null || !token.secret().equals(secret) || token.expiredAt(now())) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    public EmulatedToken create(String username, String type, List<String> scopes, Long expires, String tokenName,
            String displayName, String actor, String ip) {
        EmulatedToken token = new EmulatedToken(randomPart(), randomPart(), username, type, scopes, now(), expires,
                tokenName);
        put(token);
        if (displayName != null) {
            displayNames.put(username, displayName);
        }
        record(token, actor, "create", ip);
        return token;
    }

    /** An internal token of {@code username} delegated to {@code service}, as Gafaelfawr's ingress makes them. */
    public EmulatedToken delegate(String username, String service, List<String> scopes) {
        EmulatedToken token = new EmulatedToken(randomPart(), randomPart(), username, "internal", scopes, now(), null,
                null, service);
        put(token);
        record(token, username, "create", "127.0.0.1");
        return token;
    }

    /**
     * The token under a key, expired or not: Gafaelfawr (9.6.1 and 15.x) keeps an expired
     * token readable and deletable until its maintenance job purges it ({@link #purgeExpired}).
     */
    public Optional<EmulatedToken> find(String key) {
        return Optional.ofNullable(tokens.get(key));
    }

    /**
     * Gafaelfawr's periodic maintenance: expired tokens leave the lists, with an "expire"
     * entry in the history. Until then they are listed, though no longer valid.
     */
    public synchronized int purgeExpired() {
        List<EmulatedToken> expired = tokens.values().stream().filter(t -> t.expiredAt(now())).toList();
        for (EmulatedToken token : expired) {
            tokens.remove(token.key());
            record(token, "<internal>", "expire", null);
        }
        return expired.size();
    }

    public boolean revoke(String key, String actor, String ip) {
        EmulatedToken removed = tokens.remove(key);
        if (removed != null) {
            record(removed, actor, "revoke", ip);
        }
        return removed != null;
    }

    /** A user's tokens, newest first, expired ones included until {@link #purgeExpired}. */
    List<EmulatedToken> tokensOf(String username) {
        return tokens.values().stream()
                .filter(t -> t.username().equals(username))
                .sorted(Comparator.comparingLong(EmulatedToken::created).reversed()
                        .thenComparing(EmulatedToken::key))
                .toList();
    }

    /** How many valid (unexpired, unrevoked) tokens a user has: lets a test prove that a refused request minted nothing. */
    public int tokensOfUser(String username) {
        return liveTokensOf(username).size();
    }

    /** Whether the token exists, unexpired and unrevoked: a client holding it can use it. */
    public boolean isLive(String key) {
        EmulatedToken token = tokens.get(key);
        return token != null && !token.expiredAt(now());
    }

    /** A user's valid tokens: what a client holding them can still use. */
    public List<EmulatedToken> liveTokensOf(String username) {
        return tokensOf(username).stream().filter(t -> !t.expiredAt(now())).toList();
    }

    /** Puts a user in groups (user-info answers them): how a test makes a group own a bot. */
    public void setGroups(String username, List<String> names) {
        groups.put(username, List.copyOf(names));
    }

    List<String> groupsOf(String username) {
        return groups.getOrDefault(username, List.of());
    }

    Optional<String> displayName(String username) {
        return Optional.ofNullable(displayNames.get(username));
    }

    /** How many history entries exist: lets a test prove that Gafaelfawr was not called. */
    public synchronized int historySize() {
        return history.size();
    }

    /** Keys of a user's tokens that went through an action (create, revoke), oldest first. */
    public synchronized List<String> historyKeys(String username, String action) {
        return history.stream()
                .filter(entry -> entry.username().equals(username) && entry.action().equals(action))
                .map(HistoryEntry::key)
                .toList();
    }

    /** All history, newest first. */
    synchronized List<HistoryEntry> history() {
        List<HistoryEntry> copy = new ArrayList<>(history);
        copy.sort(HistoryEntry::compareNewestFirst);
        return copy;
    }

    private synchronized void record(EmulatedToken token, String actor, String action, String ip) {
        history.add(new HistoryEntry(historyIds.incrementAndGet(), token.key(), token.username(), token.tokenType(),
                token.scopes(), token.expires(), actor, action, ip, now()));
    }

    private static String randomPart() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
