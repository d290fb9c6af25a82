package dev.tokenbroker.service;

import dev.tokenbroker.policy.TokenState;
import java.time.Instant;
import java.util.List;

/**
 * A minted token as reading and listing answer it: never its secret. {@code state} is null
 * for a token minted before the broker kept its registry, known from its audit record only.
 */
public record TokenView(String key, String username, String name, List<String> scopes, Instant expires,
        String requestedBy, Instant issuedAt, String issuanceId, TokenState state) {
}
