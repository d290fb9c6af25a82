package dev.tokenbroker.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import dev.tokenbroker.gafaelfawr.TokenInfo;
import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.policy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;

/**
 * Asks Gafaelfawr who a token belongs to, and remembers the answer briefly so that
 * a busy caller costs one token-info call per TTL. The cache is keyed by a SHA-256
 * of the token, never the token, and an entry never outlives the token itself.
 * Refusals are not cached: a token created a moment ago must work at once.
 */
@ApplicationScoped
public class CallerVerifier {

    private record Verified(Caller caller, long expiresAtNanos) {
    }

    private final GafaelfawrClient gafaelfawr;
    private final Clock clock;
    private final Duration ttl;
    private final Cache<String, Verified> cache;
    private final BrokerMetrics metrics;

    @Inject
    public CallerVerifier(GafaelfawrClient gafaelfawr, Clock clock, BrokerConfig config, BrokerMetrics metrics) {
        this.gafaelfawr = gafaelfawr;
        this.clock = clock;
        this.ttl = config.auth().cacheTtl();
        this.metrics = metrics;
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.auth().cacheMaxEntries())
                .expireAfter(new Expiry<String, Verified>() {
                    @Override
                    public long expireAfterCreate(String key, Verified value, long currentTime) {
                        return value.expiresAtNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Verified value, long currentTime, long currentDuration) {
                        return value.expiresAtNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Verified value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /**
     * The caller behind the token. Concurrent requests with the same unknown token
     * share one token-info (and user-info) call (Caffeine computes a key once while others wait);
     * a refusal or an outage is thrown to all of them and remembered by none.
     */
    public Caller verify(GafaelfawrToken token) {
        boolean[] looked = {false};
        Verified verified = cache.get(sha256(token.secretValue()), ignored -> {
            looked[0] = true;
            return lookUp(token);
        });
        metrics.callerCache(!looked[0]);
        return verified.caller();
    }

    /**
     * The caller behind the token as Gafaelfawr sees it now, bypassing the cache (and
     * refreshing it): for actions that change who may act, a token revoked or a group left
     * a moment ago must not still count.
     */
    public Caller verifyFresh(GafaelfawrToken token) {
        String key = sha256(token.secretValue());
        cache.invalidate(key);
        Verified verified = lookUp(token);
        cache.put(key, verified);
        metrics.callerCache(false);
        return verified.caller();
    }

    private Verified lookUp(GafaelfawrToken token) {
        TokenInfo info = gafaelfawr.tokenInfo(token).orElseThrow(() -> new CallerAuthenticationException(
                "invalid_token", "Gafaelfawr does not accept the bearer token (unknown, expired or revoked)"));
        // Groups decide bot ownership; they are looked up once per token, with its identity.
        Caller caller = new Caller(info.username(), new HashSet<>(info.scopes()), info.tokenType(), info.key(),
                info.service(), new HashSet<>(gafaelfawr.groupsOf(token)));
        Duration lifetime = ttl;
        if (info.expires() != null) {
            Duration remaining = Duration.ofSeconds(info.expires() - clock.instant().getEpochSecond());
            lifetime = remaining.compareTo(ttl) < 0 ? remaining : ttl;
        }
        // A token about to expire is still shared by the requests waiting now, then dropped at once.
        return new Verified(caller, Math.max(0, lifetime.toNanos()));
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
