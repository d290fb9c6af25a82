package dev.tokenbroker.policy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A request for a service token exactly as the caller sent it; nothing is checked yet.
 *
 * @param scopes null when the caller did not name any (the defaults apply)
 * @param expires null when the caller did not ask for an expiry (the default lifetime applies)
 * @param otherFields names of any other fields present in the request (identity overrides, typos)
 */
public record TokenRequest(
        String username,
        String name,
        String tokenType,
        List<String> scopes,
        Instant expires,
        Set<String> otherFields) {

    public TokenRequest {
        otherFields = otherFields == null ? Set.of() : Set.copyOf(otherFields);
    }
}
