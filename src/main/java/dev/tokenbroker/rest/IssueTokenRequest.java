package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tokenbroker.policy.TokenRequest;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /service-tokens}: the seed's curl body for Gafaelfawr,
 * plus an optional expiry. Fields outside this list are refused by name ({@link StrictBody}).
 */
@Schema(name = "ServiceTokenRequest", description = "What to mint. Identity overrides (uid, gid, groups, email)"
        + " and unknown fields are refused.")
public class IssueTokenRequest extends StrictBody {

    @Schema(required = true, example = "bot-jenkins-metrics",
            description = "The bot user: Gafaelfawr's username rules, at most 64 characters, the configured prefix (bot-)")
    public String username;

    @Schema(example = "Jenkins metrics job", description = "Human-readable description of the bot, 1 to 256 characters")
    public String name;

    @JsonProperty("token_type")
    @Schema(example = "service", enumeration = "service", description = "Optional; when present must be \"service\"")
    public String tokenType;

    @Schema(example = "[\"write:sasquatch\"]",
            description = "Scopes of the new token; defaults to the policy's default scopes. Each must be allowed by"
                    + " the policy and held by the caller (unless the caller holds the admin scope)")
    @JsonSetter(contentNulls = Nulls.FAIL)
    public List<String> scopes;

    @JsonDeserialize(using = EpochOrIsoInstantDeserializer.class)
    @Schema(type = SchemaType.STRING, format = "date-time", example = "2027-06-01T00:00:00Z",
            description = "ISO 8601 date-time or epoch seconds; defaults to now + the default lifetime (90 days);"
                    + " at least 5 minutes and at most the maximum lifetime (365 days) ahead")
    public Instant expires;

    TokenRequest toTokenRequest() {
        return new TokenRequest(username, name, tokenType, scopes, expires, otherFields());
    }
}
