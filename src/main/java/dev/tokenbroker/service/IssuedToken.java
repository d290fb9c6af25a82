package dev.tokenbroker.service;

import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import java.time.Instant;
import java.util.List;

/** A minted token and what it was minted as; {@code token} is delivered to the caller once and kept nowhere. */
public record IssuedToken(GafaelfawrToken token, String username, List<String> scopes, Instant expires,
        String requestedBy) {

    public String key() {
        return token.key();
    }
}
