package dev.tokenbroker.rest;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The optional body of {@code POST /service-tokens/{key}/rotate}. */
@Schema(name = "RotateRequest")
public class RotateTokenRequest extends StrictBody {

    @JsonDeserialize(using = EpochOrIsoInstantDeserializer.class)
    @Schema(type = SchemaType.STRING, format = "date-time", example = "2027-06-01T00:00:00Z",
            description = "Expiry of the replacement (ISO 8601 or epoch seconds); defaults to now + the default lifetime")
    public Instant expires;

    @Schema(example = "PT1H", description = "ISO 8601 duration the old token stays valid beside the replacement;"
            + " at most broker.policy.max-rotation-grace (P1D). Absent or PT0S: the old token is revoked at once")
    public String grace;
}
