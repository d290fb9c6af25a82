package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What may name something at all. The database refuses some characters (PostgreSQL: NUL),
 * so a value that cannot name anything is answered before any query: a path that cannot be
 * a token key or a bot is "not found", a filter with control characters is refused.
 */
public final class Names {

    public static final int MAX_FILTER_CHARS = 256;
    /** What a token key is (gt-<key>.<secret>); anything else names no token. */
    private static final Pattern TOKEN_KEY = Pattern.compile("^[A-Za-z0-9_-]{22}$");

    private Names() {
    }

    public static boolean isTokenKey(String key) {
        return key != null && TOKEN_KEY.matcher(key).matches();
    }

    /** Gafaelfawr's service-token usernames, at most 64 characters. */
    public static boolean isBotName(String username) {
        return username != null && username.length() <= IssuancePolicy.MAX_USERNAME_LENGTH
                && IssuancePolicy.BOT_USERNAME.matcher(username).matches();
    }

    /** Filter text is compared in the database: refused first when it could not be stored there. */
    public static Optional<Violation> filterText(String field, String value) {
        if (value == null || (value.length() <= MAX_FILTER_CHARS
                && value.chars().noneMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c)))) {
            return Optional.empty();
        }
        return Optional.of(new Violation(field, "filter-text", INVALID, field + " must be at most " + MAX_FILTER_CHARS
                + " characters without control characters"));
    }
}
