package dev.tokenbroker.service;

import java.util.regex.Pattern;

/**
 * What may be looked up at all. The database refuses some characters (PostgreSQL: NUL),
 * so a value that cannot name anything is answered before any query: a path that cannot
 * be a token key or a bot is "not found", a filter with control characters is a 400.
 */
final class Lookups {

    static final int MAX_FILTER_CHARS = 256;
    /** What a token key is (gt-<key>.<secret>); anything else names no token. */
    private static final Pattern TOKEN_KEY = Pattern.compile("^[A-Za-z0-9_-]{22}$");
    /** Gafaelfawr's service-token usernames, at most 64 characters. */
    private static final Pattern BOT = Pattern.compile("^bot-[a-z0-9](?:[a-z0-9]|-[a-z0-9])*$");

    private Lookups() {
    }

    static boolean isTokenKey(String key) {
        return key != null && TOKEN_KEY.matcher(key).matches();
    }

    static boolean isBotName(String username) {
        return username != null && username.length() <= 64 && BOT.matcher(username).matches();
    }

    /** Filter text is compared in the database: refused here first when it could not be stored there. */
    static void plainText(String field, String value) {
        if (value == null) {
            return;
        }
        boolean printable = value.length() <= MAX_FILTER_CHARS
                && value.chars().noneMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c));
        if (!printable) {
            throw new InvalidQueryException(field, field + " must be at most " + MAX_FILTER_CHARS
                    + " characters without control characters");
        }
    }
}
