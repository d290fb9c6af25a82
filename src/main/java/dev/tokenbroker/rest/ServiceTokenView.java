package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.audit.StoredEvent;
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
        @JsonProperty("audit_id") String auditId) {

    static ServiceTokenView of(StoredEvent issued) {
        AuditEvent e = issued.event();
        return new ServiceTokenView(e.tokenKey(), e.targetUsername(), e.displayName(), e.scopes(), e.expires(),
                e.callerUsername(), e.time(), e.issuanceId());
    }
}
