package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.service.RotatedToken;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A rotation's answer: the replacement as a mint answers it, and what became of the old token. */
@Schema(name = "ServiceTokenRotated")
public record RotatedTokenResponse(
        @Schema(description = "The replacement. Shown once: store it now") String token,
        @Schema(example = "ZyXwVuTsRqPoNmLkJiHgFe") String key,
        @Schema(example = "bot-jenkins-metrics") String username,
        @Schema(example = "[\"write:sasquatch\"]") List<String> scopes,
        @Schema(example = "2027-06-01T00:00:00Z") Instant expires,
        @JsonProperty("requested_by") @Schema(example = "alice") String requestedBy,
        @JsonProperty("audit_id") String auditId,
        @Schema(description = "Key of the token this one replaces", example = "AbCdEfGhIjKlMnOpQrStUv") String replaces,
        @JsonProperty("old_token_revoked_at") @Schema(description = "When the old token was revoked, or will be"
                + " (after the grace)", example = "2026-11-28T10:00:00Z") Instant oldTokenRevokedAt) {

    static RotatedTokenResponse from(RotatedToken rotated) {
        IssueTokenResponse issued = IssueTokenResponse.from(rotated.issued());
        return new RotatedTokenResponse(issued.token(), issued.key(), issued.username(), issued.scopes(),
                issued.expires(), issued.requestedBy(), issued.auditId(), rotated.replaces(),
                rotated.oldTokenRevokedAt());
    }
}
