package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.policy.TrustPolicy;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A bot's trust policy, as stored. */
@Schema(name = "TrustPolicy")
public record TrustPolicyView(
        @Schema(example = "release-ci") String name,
        @Schema(example = "github") String issuer,
        @Schema(nullable = true, example = "repo:lsst-sqre/foo:ref:refs/heads/main") String subject,
        @JsonProperty("subject_pattern") @Schema(nullable = true) String subjectPattern,
        @Schema(example = "{\"repository_owner\": \"lsst-sqre\"}") Map<String, String> claims,
        @JsonProperty("claim_patterns") @Schema(example = "{}") Map<String, String> claimPatterns,
        @Schema(example = "[\"write:sasquatch\"]") List<String> scopes,
        @JsonProperty("max_lifetime") @Schema(example = "PT1H") String maxLifetime) {

    static TrustPolicyView of(TrustPolicy policy) {
        return new TrustPolicyView(policy.name(), policy.issuer(), policy.subject(), policy.subjectPattern(),
                policy.claims(), policy.claimPatterns(), policy.scopes(), policy.maxLifetime().toString());
    }
}
