package dev.tokenbroker.gafaelfawr;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of Gafaelfawr's token change history; eventTime is epoch seconds. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenChange(
        @JsonProperty("token") String key,
        @JsonProperty("username") String username,
        @JsonProperty("action") String action,
        @JsonProperty("actor") String actor,
        @JsonProperty("event_time") Long eventTime) {
}
