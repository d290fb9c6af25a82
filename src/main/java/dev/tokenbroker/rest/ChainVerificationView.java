package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tokenbroker.audit.ChainVerification;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of GET /audit/verify. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ChainVerification")
public record ChainVerificationView(
        @Schema(description = "True when every record recomputes and none is missing") boolean intact,
        @JsonProperty("events_checked") long eventsChecked,
        @JsonProperty("head_seq") long headSeq,
        @JsonProperty("head_hash") String headHash,
        @JsonProperty("broken_at_seq") @Schema(description = "First broken or missing link") Long brokenAtSeq,
        @Schema(example = "record was altered: its hash does not match its content") String problem,
        @Schema(description = "Records written but not yet sealed into the chain (sealing follows within a second)")
        long unsealed) {

    static ChainVerificationView of(ChainVerification verification) {
        return new ChainVerificationView(verification.intact(), verification.eventsChecked(),
                verification.head().seq(), verification.head().hash(), verification.brokenAt(), verification.problem(),
                verification.unsealed());
    }
}
