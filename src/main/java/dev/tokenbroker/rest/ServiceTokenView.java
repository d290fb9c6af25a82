package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.service.TokenView;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the broker issued under a key, from its audit record: never the secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ServiceToken")
public record ServiceTokenView(
        String key,
        String username,
        String name,
        List<String> scopes,
        Instant expires,
        @JsonProperty("requested_by") String requestedBy,
        @JsonProperty("issued_at") Instant issuedAt,
        @JsonProperty("audit_id") String auditId,
        @Schema(description = "active, expired or revoked, as Gafaelfawr sees it now; absent for tokens minted"
                + " before the broker kept a registry", enumeration = {"active", "expired", "revoked"},
                example = "active") String state) {

    static ServiceTokenView of(TokenView view) {
        return new ServiceTokenView(view.key(), view.username(), view.name(), view.scopes(), view.expires(),
                view.requestedBy(), view.issuedAt(), view.issuanceId(),
                view.state() == null ? null : view.state().label());
    }
}
