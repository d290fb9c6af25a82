package dev.tokenbroker.policy;

import java.util.Set;

/**
 * Who is asking, as Gafaelfawr's token-info described the token they presented.
 * {@code tokenKey} is the public half of their token; the secret never reaches here.
 */
public record Caller(String username, Set<String> scopes, String tokenType, String tokenKey) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean holds(String scope) {
        return scopes.contains(scope);
    }
}
