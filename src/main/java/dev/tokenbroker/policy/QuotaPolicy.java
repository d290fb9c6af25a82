package dev.tokenbroker.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The two quotas, as pure arithmetic over counts the store took under its locks. */
public final class QuotaPolicy {

    public static final Duration CALLER_WINDOW = Duration.ofHours(1);

    /**
     * What counts against the quotas at one moment. {@code replacedStillLive}: this mint
     * rotates a token that is still active (neither revoked nor expired).
     */
    public record Usage(long callerIssuancesInWindow, Instant oldestInWindow, long activeTokensOfBot,
            Instant soonestExpiry, boolean replacedStillLive) {
    }

    /** A refused issuance: the rule and how long until it could pass. */
    public record Exceeded(String rule, String message, Duration retryAfter) {
    }

    private final int issuancesPerCallerPerHour;
    private final int activeTokensPerBot;

    public QuotaPolicy(int issuancesPerCallerPerHour, int activeTokensPerBot) {
        if (issuancesPerCallerPerHour < 1) {
            throw new InvalidSettingException("issuances-per-caller-per-hour", "must be at least 1");
        }
        if (activeTokensPerBot < 1) {
            throw new InvalidSettingException("active-tokens-per-bot", "must be at least 1");
        }
        this.issuancesPerCallerPerHour = issuancesPerCallerPerHour;
        this.activeTokensPerBot = activeTokensPerBot;
    }

    /**
     * A rotation's successor may take the bot one over its quota while the token it replaces
     * is still live (it leaves at once, or when its grace ends), whether or not a grace was
     * asked for, and only then: once the replaced token is gone, the quota holds again.
     */
    public Optional<Exceeded> check(Usage usage, Instant now) {
        if (usage.callerIssuancesInWindow() >= issuancesPerCallerPerHour) {
            Duration wait = Duration.between(now, usage.oldestInWindow().plus(CALLER_WINDOW));
            return Optional.of(new Exceeded("issuances-per-caller-per-hour", "you may request at most "
                    + issuancesPerCallerPerHour + " tokens an hour", atLeastOneSecond(wait)));
        }
        long allowed = activeTokensPerBot + (usage.replacedStillLive() ? 1 : 0);
        if (usage.activeTokensOfBot() >= allowed) {
            Duration wait = usage.soonestExpiry() == null ? Duration.ofHours(1)
                    : Duration.between(now, usage.soonestExpiry());
            return Optional.of(new Exceeded("active-tokens-per-bot", "a bot may hold at most " + activeTokensPerBot
                    + " active tokens: revoke or rotate one first", atLeastOneSecond(wait)));
        }
        return Optional.empty();
    }

    private static Duration atLeastOneSecond(Duration wait) {
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }
}
