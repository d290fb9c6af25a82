package dev.tokenbroker.gafaelfawr;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Gafaelfawr token, {@code gt-<key>.<secret>}. The key is a public handle and may be
 * logged; the secret is password-equivalent, so {@link #toString()} never shows it.
 */
public final class GafaelfawrToken {

    private static final Pattern FORM = Pattern.compile("^gt-([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{22})$");

    /** Anything token-shaped, for scrubbing text that came from elsewhere. */
    private static final Pattern ANYWHERE = Pattern.compile("gt-[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}");

    private final String value;
    private final String key;

    private GafaelfawrToken(String value, String key) {
        this.value = value;
        this.key = key;
    }

    public static Optional<GafaelfawrToken> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher matcher = FORM.matcher(value);
        return matcher.matches() ? Optional.of(new GafaelfawrToken(value, matcher.group(1))) : Optional.empty();
    }

    /** Replaces anything that looks like a token in text from outside (upstream messages). */
    public static String redact(String text) {
        return text == null ? null : ANYWHERE.matcher(text).replaceAll("gt-<redacted>");
    }

    public String key() {
        return key;
    }

    /** The full secret string: only for an Authorization header or the one response that delivers it. */
    public String secretValue() {
        return value;
    }

    @Override
    public String toString() {
        return "gt-" + key + ".<redacted>";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GafaelfawrToken token && token.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
