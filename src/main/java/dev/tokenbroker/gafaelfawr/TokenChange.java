package dev.tokenbroker.gafaelfawr;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of Gafaelfawr's token change history; eventTime and expires are epoch seconds
 * (expires null for a token that never expires). A create's expires and scopes are exactly
 * what the creator sent, which is how the broker matches a create to its issuance.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenChange(
        @JsonProperty("token") String key,
        @JsonProperty("username") String username,
        @JsonProperty("action") String action,
        @JsonProperty("actor") String actor,
        @JsonProperty("event_time") Long eventTime,
        @JsonProperty("expires") Long expires,
        @JsonProperty("scopes") java.util.List<String> scopes) {
}
