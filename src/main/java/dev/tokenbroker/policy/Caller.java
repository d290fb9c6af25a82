package dev.tokenbroker.policy;

import java.util.Set;

/**
 * Who is asking, as Gafaelfawr's token-info described the token they presented.
 * {@code tokenKey} is the public half of their token; the secret never reaches here.
 * {@code service} is the application an internal token was delegated to, else null.
 */
public record Caller(String username, Set<String> scopes, String tokenType, String tokenKey, String service) {

    /** A caller whose token was not delegated to a service (no {@code service} in token-info). */
    public Caller(String username, Set<String> scopes, String tokenType, String tokenKey) {
        this(username, scopes, tokenType, tokenKey, null);
    }

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean holds(String scope) {
        return scopes.contains(scope);
    }
}
