package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /bots/{username}/trust-policies/{name}}: the whole policy, replacing any of that name. */
@Schema(name = "TrustPolicyRequest", description = "Which CI jobs may mint for the bot with their OIDC identity token")
public class TrustPolicyRequest extends StrictBody {

    @Schema(required = true, example = "github", description = "A trusted issuer, by its configured name")
    public String issuer;

    @Schema(example = "repo:lsst-sqre/foo:ref:refs/heads/main", nullable = true,
            description = "The token's sub, exactly; give this or subject_pattern")
    public String subject;

    @JsonProperty("subject_pattern")
    @Schema(example = "repo:lsst-sqre/foo:ref:refs/tags/.*", nullable = true,
            description = "A regular expression the whole sub must match (anchored: a prefix never matches)")
    public String subjectPattern;

    @JsonSetter(contentNulls = Nulls.FAIL)
    @Schema(example = "{\"repository_owner\": \"lsst-sqre\"}", description = "Claims the token must carry, exactly")
    public Map<String, String> claims = Map.of();

    @JsonProperty("claim_patterns")
    @JsonSetter(contentNulls = Nulls.FAIL)
    @Schema(example = "{\"workflow_ref\": \"lsst-sqre/foo/\\\\.github/workflows/release\\\\.yaml@refs/tags/.*\"}",
            description = "Claims whose whole value must match a regular expression")
    public Map<String, String> claimPatterns = Map.of();

    @JsonSetter(contentNulls = Nulls.FAIL)
    @Schema(required = true, example = "[\"write:sasquatch\"]",
            description = "The scopes an exchanged token may carry (within the broker's allowed scopes)")
    public List<String> scopes;

    @JsonProperty("max_lifetime")
    @Schema(example = "PT1H", nullable = true,
            description = "ISO 8601 duration an exchanged token may live at most; default PT1H, at most"
                    + " broker.federation.max-lifetime")
    public String maxLifetime;
}
