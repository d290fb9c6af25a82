package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.StoredEvent;
import dev.tokenbroker.registry.StoredToken;
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

    /** A token minted before the registry existed: known from its audit record only. */
    static ServiceTokenView of(StoredEvent issued) {
        AuditEvent e = issued.event();
        return new ServiceTokenView(e.tokenKey(), e.targetUsername(), e.displayName(), e.scopes(), e.expires(),
                e.callerUsername(), e.time(), e.issuanceId(), null);
    }

    static ServiceTokenView of(TokenView view) {
        StoredToken t = view.token();
        return new ServiceTokenView(t.key(), t.username(), t.name(), t.scopes(), t.expires(), t.requestedBy(),
                t.issuedAt(), t.issuanceId(), view.state().label());
    }
}
