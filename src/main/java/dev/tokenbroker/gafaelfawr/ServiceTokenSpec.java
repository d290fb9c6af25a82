package dev.tokenbroker.gafaelfawr;

import java.time.Instant;
import java.util.List;

/** What to ask Gafaelfawr to mint: already decided, nothing here is checked again. */
public record ServiceTokenSpec(String username, String displayName, List<String> scopes, Instant expires) {

    public ServiceTokenSpec {
        scopes = List.copyOf(scopes);
    }
}
