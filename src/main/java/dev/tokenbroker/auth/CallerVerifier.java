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

    public Caller verify(GafaelfawrToken token) {
        String cacheKey = sha256(token.secretValue());
        Verified cached = cache.getIfPresent(cacheKey);
        metrics.callerCache(cached != null);
        if (cached != null) {
            return cached.caller();
        }
        TokenInfo info = gafaelfawr.tokenInfo(token).orElseThrow(() -> new CallerAuthenticationException(
                "invalid_token", "Gafaelfawr does not accept the bearer token (unknown, expired or revoked)"));
        Caller caller = new Caller(info.username(), new HashSet<>(info.scopes()), info.tokenType(), info.key(),
                info.service());
        Duration lifetime = ttl;
        if (info.expires() != null) {
            Duration remaining = Duration.ofSeconds(info.expires() - clock.instant().getEpochSecond());
            lifetime = remaining.compareTo(ttl) < 0 ? remaining : ttl;
        }
        if (!lifetime.isNegative() && !lifetime.isZero()) {
            cache.put(cacheKey, new Verified(caller, lifetime.toNanos()));
        }
        return caller;
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
