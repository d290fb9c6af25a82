package dev.tokenbroker.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The two quotas, as pure arithmetic over counts the store took under its locks. */
public final class QuotaPolicy {

    public static final Duration CALLER_WINDOW = Duration.ofHours(1);

    /** What counts against the quotas at one moment. */
    public record Usage(long callerIssuancesInWindow, Instant oldestInWindow, long activeTokensOfBot,
            Instant soonestExpiry) {
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
     * @param replacing whether this mint rotates a token that stays active through a grace
     *        period: that one token may exceed the bot's quota.
     */
    public Optional<Exceeded> check(Usage usage, Instant now, boolean replacing) {
        if (usage.callerIssuancesInWindow() >= issuancesPerCallerPerHour) {
            Duration wait = Duration.between(now, usage.oldestInWindow().plus(CALLER_WINDOW));
            return Optional.of(new Exceeded("issuances-per-caller-per-hour", "you may request at most "
                    + issuancesPerCallerPerHour + " tokens an hour", atLeastOneSecond(wait)));
        }
        long allowed = activeTokensPerBot + (replacing ? 1 : 0);
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
