package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.service.BotDetails;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A bot, its owners and how many active tokens it holds. */
@Schema(name = "Bot")
public record BotView(
        @Schema(example = "bot-jenkins-metrics") String username,
        OwnersView owners,
        @JsonProperty("claimed_by") @Schema(description = "Who claimed it by minting first; null if nobody did",
                example = "alice", nullable = true) String claimedBy,
        @JsonProperty("claimed_at") @Schema(example = "2026-11-28T09:00:00Z", nullable = true) Instant claimedAt,
        @JsonProperty("active_tokens") @Schema(description = "Tokens neither expired nor revoked, as the broker knows",
                example = "1") long activeTokens) {

    @Schema(name = "Owners", description = "Gafaelfawr usernames and groups; any of them owns the bot")
    public record OwnersView(@Schema(example = "[\"alice\"]") List<String> users,
            @Schema(example = "[\"g_jenkins_admins\"]") List<String> groups) {
    }

    static BotView of(BotDetails bot) {
        return new BotView(bot.username(), new OwnersView(bot.owners().users(), bot.owners().groups()),
                bot.claimedBy(), bot.claimedAt(), bot.activeTokens());
    }
}
