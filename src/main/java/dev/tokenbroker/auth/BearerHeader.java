package dev.tokenbroker.auth;

import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import java.util.Locale;

/** Reads {@code Authorization: Bearer <token>}; the scheme is matched case-insensitively, as Gafaelfawr does. */
final class BearerHeader {

    private BearerHeader() {
    }

    static GafaelfawrToken token(String header) {
        String[] parts = header.strip().split("\\s+");
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new CallerAuthenticationException("invalid_request",
                    "the Authorization header must be \"Bearer <Gafaelfawr token>\"");
        }
        return GafaelfawrToken.parse(parts[1]).orElseThrow(() -> new CallerAuthenticationException(
                "invalid_token", "the bearer token is not a Gafaelfawr token (gt-<key>.<secret>)"));
    }
}
