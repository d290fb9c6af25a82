package dev.tokenbroker.gafaelfawr;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Gafaelfawr's request and answer bodies that the broker reads or writes, as Jackson maps
 * them (docs/gafaelfawr-contract.md). Answers ignore fields they do not name: newer
 * releases add some. Token descriptions and history entries are {@link TokenInfo} and
 * {@link TokenChange}; error bodies vary by release and are read by {@link UpstreamErrors}.
 */
final class Wire {

    private Wire() {
    }

    /** POST /tokens: a service token for a bot; {@code name} is left out when there is none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreateToken(String username, @JsonProperty("token_type") String tokenType, List<String> scopes,
            long expires, String name) {

        static CreateToken of(ServiceTokenSpec spec) {
            return new CreateToken(spec.username(), "service", spec.scopes(), spec.expires().getEpochSecond(),
                    spec.displayName());
        }
    }

    /** POST /tokens' 201 answer: the new token, secret included. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Created(String token) {
    }

    /** GET /user-info: older releases leave {@code groups} out when there are none. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserInfo(List<Group> groups) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Group(String name) {
    }
}
