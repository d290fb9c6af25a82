package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.service.IssuedToken;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a successful issuance; the only place a minted secret ever appears. */
@Schema(name = "ServiceTokenIssued")
public record IssueTokenResponse(
        @Schema(description = "The new token. Shown once: store it now (it is password-equivalent)",
                example = "gt-<22-character key>.<22-character secret>") String token,
        @Schema(description = "The token's public key: safe to log, names it in Gafaelfawr",
                example = "AbCdEfGhIjKlMnOpQrStUv") String key,
        @Schema(example = "bot-jenkins-metrics") String username,
        @Schema(example = "[\"write:sasquatch\"]") List<String> scopes,
        @Schema(example = "2027-06-01T00:00:00Z") Instant expires,
        @JsonProperty("requested_by") @Schema(description = "The caller on whose behalf the token was minted",
                example = "alice") String requestedBy,
        @JsonProperty("audit_id") @Schema(description = "Names this issuance in the audit log (issuance_id)")
        String auditId) {

    static IssueTokenResponse from(IssuedToken issued) {
        return new IssueTokenResponse(issued.token().secretValue(), issued.key(), issued.username(), issued.scopes(),
                issued.expires(), issued.requestedBy(), issued.auditId());
    }
}
