package dev.tokenbroker.service;

import dev.tokenbroker.policy.Owners;
import java.time.Instant;

/** A bot, its owners, who claimed it and how many active tokens it holds. */
public record BotDetails(String username, Owners owners, String claimedBy, Instant claimedAt, long activeTokens) {
}
