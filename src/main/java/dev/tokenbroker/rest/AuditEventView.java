package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.audit.AuditEvent;
import dev.tokenbroker.service.AuditEntry;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An audit record as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "AuditEvent")
public record AuditEventView(
        @Schema(description = "Entry number: the order in which records were appended") long seq,
        String id,
        @JsonProperty("issuance_id") @Schema(description = "Shared by every record of one issuance attempt") String issuanceId,
        Instant time,
        @JsonProperty("request_id") String requestId,
        @Schema(description = "Who asked", example = "alice") String caller,
        @JsonProperty("caller_token_key") String callerTokenKey,
        @JsonProperty("caller_token_type") String callerTokenType,
        @JsonProperty("client_address") String clientAddress,
        @JsonProperty("user_agent") String userAgent,
        @Schema(example = "issue") String action,
        @Schema(description = "The bot user asked for", example = "bot-jenkins-metrics") String username,
        String name,
        List<String> scopes,
        Instant expires,
        @Schema(enumeration = {"pending", "issued", "denied", "failed", "unknown", "compensated"}) String outcome,
        String reason,
        @JsonProperty("token_key") @Schema(description = "Key of the minted token (never its secret)") String tokenKey,
        @JsonProperty("chain_seq") @Schema(description = "Position in the hash chain; absent until sealed,"
                + " a moment after the record is written") Long chainSeq,
        @JsonProperty("prev_hash") String prevHash,
        String hash) {

    static AuditEventView of(AuditEntry stored) {
        AuditEvent e = stored.event();
        return new AuditEventView(stored.seq(), e.id(), e.issuanceId(), e.time(), e.requestId(), e.callerUsername(),
                e.callerTokenKey(), e.callerTokenType(), e.clientAddress(), e.userAgent(), e.action(),
                e.targetUsername(), e.displayName(), e.scopes(), e.expires(), e.outcome().label(), e.reason(),
                e.tokenKey(), stored.chainSeq(), stored.prevHash(), stored.hash());
    }
}
