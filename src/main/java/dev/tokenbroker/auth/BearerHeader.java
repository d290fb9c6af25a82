package dev.tokenbroker.auth;

import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import java.util.Locale;

/** Reads {@code Authorization: Bearer <token>}; the scheme is matched case-insensitively, as Gafaelfawr does. */
final class BearerHeader {

    private BearerHeader() {
    }

    static GafaelfawrToken token(String header) {
        return GafaelfawrToken.parse(value(header)).orElseThrow(() -> new CallerAuthenticationException(
                "invalid_token", "the bearer token is not a Gafaelfawr token (gt-<key>.<secret>)"));
    }

    /** The bearer token as sent, whatever it is. */
    static String value(String header) {
        String[] parts = header.strip().split("\\s+");
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new CallerAuthenticationException("invalid_request",
                    "the Authorization header must be \"Bearer <Gafaelfawr token>\"");
        }
        return parts[1];
    }

    /** Shaped like a JWT (three dot-separated parts): a CI job's OIDC identity token, to be verified. */
    static boolean isJwt(String token) {
        String[] parts = token.split("\\.", -1);
        return parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty();
    }
}
