package dev.tokenbroker.policy;

import java.util.Set;

/**
 * Who is asking, as Gafaelfawr's token-info and user-info described the token they presented.
 * {@code tokenKey} is the public half of their token; the secret never reaches here.
 * {@code service} is the application an internal token was delegated to, else null;
 * {@code groups} are the user's Gafaelfawr groups, which may own bots.
 */
public record Caller(String username, Set<String> scopes, String tokenType, String tokenKey, String service,
        Set<String> groups) {

    /** A caller whose token was not delegated to a service (no {@code service} in token-info), in no group. */
    public Caller(String username, Set<String> scopes, String tokenType, String tokenKey) {
        this(username, scopes, tokenType, tokenKey, null, Set.of());
    }

    public Caller(String username, Set<String> scopes, String tokenType, String tokenKey, String service) {
        this(username, scopes, tokenType, tokenKey, service, Set.of());
    }

    public Caller {
        scopes = Set.copyOf(scopes);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    public boolean holds(String scope) {
        return scopes.contains(scope);
    }
}
