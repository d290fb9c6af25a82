package dev.tokenbroker.emulator;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

/** The emulator's tokens and history, in memory; seeded from {@link EmulatorSettings}. */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class EmulatorState {

    private static final Pattern TOKEN = Pattern.compile("^gt-([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{22})$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Set<String> knownScopes;
    private final Map<String, EmulatedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> displayNames = new ConcurrentHashMap<>();
    private final Map<String, List<String>> groups = new ConcurrentHashMap<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final AtomicLong historyIds = new AtomicLong();
    private final AtomicLong createRequests = new AtomicLong();
    private final AtomicLong tokenInfoRequests = new AtomicLong();

    @Inject
    public EmulatorState(EmulatorSettings settings, Clock clock) {
        this.clock = clock;
        this.knownScopes = Set.copyOf(settings.knownScopes());
        settings.adminToken().ifPresent(token ->
                seed(token, settings.adminUsername(), "service", List.of("admin:token")));
        settings.demoToken().ifPresent(token ->
                seed(token, settings.demoUsername(), "user", settings.demoScopes()));
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

    void countTokenInfoRequest() {
        tokenInfoRequests.incrementAndGet();
    }

    /** How many GET /token-info arrived: proof that callers' tokens are looked up once, not per request. */
    public long tokenInfoRequests() {
        return tokenInfoRequests.get();
    }

    public long now() {
        return clock.instant().getEpochSecond();
    }

    public boolean knows(String scope) {
        return knownScopes.contains(scope);
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

    public Optional<EmulatedToken> find(String key) {
        return Optional.ofNullable(tokens.get(key)).filter(t -> !t.expiredAt(now()));
    }

    public boolean revoke(String key, String actor, String ip) {
        EmulatedToken removed = tokens.remove(key);
        if (removed != null) {
            record(removed, actor, "revoke", ip);
        }
        return removed != null;
    }

    List<EmulatedToken> tokensOf(String username) {
        return tokens.values().stream()
                .filter(t -> t.username().equals(username) && !t.expiredAt(now()))
                .sorted(Comparator.comparingLong(EmulatedToken::created).reversed()
                        .thenComparing(EmulatedToken::key))
                .toList();
    }

    /** How many live tokens a user has: lets a test prove that a refused request minted nothing. */
    public int tokensOfUser(String username) {
        return tokensOf(username).size();
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
