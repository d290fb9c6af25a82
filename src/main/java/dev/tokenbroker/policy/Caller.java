package dev.tokenbroker.policy;

import java.util.Set;

/**
 * Who is asking, as Gafaelfawr's token-info and user-info described the token they presented.
 * {@code tokenKey} is the public half of their token; the secret never reaches here.
 * {@code service} is the application an internal token was delegated to, else null;
 * {@code groups} are the user's Gafaelfawr groups, which may own bots;
 * {@code presentedService} is what Gafaelfawr's ingress said in {@code X-Auth-Request-Service}:
 * the application the token the caller presented to the ingress was delegated to (null when
 * the caller presented a token of its own, or did not come through the ingress).
 */
public record Caller(String username, Set<String> scopes, String tokenType, String tokenKey, String service,
        Set<String> groups, String presentedService) {

    /** Gafaelfawr gives service tokens only to users named bot-..., and never calls a person that. */
    static final String BOT_PREFIX = "bot-";

    /** A caller whose token was not delegated to a service (no {@code service} in token-info), in no group. */
    public Caller(String username, Set<String> scopes, String tokenType, String tokenKey) {
        this(username, scopes, tokenType, tokenKey, null, Set.of(), null);
    }

    public Caller(String username, Set<String> scopes, String tokenType, String tokenKey, String service) {
        this(username, scopes, tokenType, tokenKey, service, Set.of(), null);
    }

    public Caller(String username, Set<String> scopes, String tokenType, String tokenKey, String service,
            Set<String> groups) {
        this(username, scopes, tokenType, tokenKey, service, groups, null);
    }

    public Caller {
        scopes = Set.copyOf(scopes);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
        presentedService = presentedService == null || presentedService.isBlank() ? null : presentedService;
    }

    public boolean holds(String scope) {
        return scopes.contains(scope);
    }

    /**
     * A bot: a service token, or any token of a bot- user (a bot's token passed through
     * Gafaelfawr's ingress arrives as an internal token, but its username still tells).
     */
    public boolean isBot() {
        return "service".equals(tokenType) || username.startsWith(BOT_PREFIX);
    }

    /** The same caller, as this request's ingress described the token it was shown. */
    public Caller presentedVia(String service) {
        return new Caller(username, scopes, tokenType, tokenKey, this.service, groups, service);
    }
}
