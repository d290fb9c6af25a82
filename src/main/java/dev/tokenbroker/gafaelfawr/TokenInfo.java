package dev.tokenbroker.gafaelfawr;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Gafaelfawr's description of a token (GET /token-info); times are epoch seconds. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenInfo(
        @JsonProperty("token") String key,
        @JsonProperty("username") String username,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("created") Long created,
        @JsonProperty("expires") Long expires,
        @JsonProperty("service") String service) {

    public TokenInfo {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
