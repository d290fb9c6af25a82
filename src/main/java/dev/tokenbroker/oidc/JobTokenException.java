package dev.tokenbroker.oidc;

/**
 * A job token that cannot be verified. {@link Kind#REJECTED} is the token's fault (401: malformed,
 * an algorithm not allowed, a signature no key of its issuer verifies, an unknown issuer);
 * {@link Kind#ISSUER_UNAVAILABLE} is the issuer's (503: its discovery document or keys cannot be
 * fetched), and fails closed. Messages never hold the token.
 */
public class JobTokenException extends RuntimeException {

    public enum Kind { REJECTED, ISSUER_UNAVAILABLE }

    private final Kind kind;
    private final String rule;

    JobTokenException(Kind kind, String rule, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.rule = rule;
    }

    public Kind kind() {
        return kind;
    }

    public String rule() {
        return rule;
    }
}
