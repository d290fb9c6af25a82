package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem document: the body of every error the broker answers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details (media type application/problem+json)")
public record Problem(
        @Schema(description = "Identifies the kind of problem", example = "urn:service-token-broker:problem:policy-violation")
        String type,
        @Schema(example = "Request refused by policy") String title,
        @Schema(example = "422") int status,
        @Schema(example = "1 rule broken; see errors") String detail,
        @Schema(example = "/service-tokens") String instance,
        @com.fasterxml.jackson.annotation.JsonProperty("request_id")
        @Schema(description = "The request's X-Request-Id, to quote when asking for help") String requestId,
        @Schema(description = "One entry per broken rule, where the request's fields are involved")
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(description = "The request field at fault, by its JSON name; absent for rules about the caller",
                    example = "username") String field,
            @Schema(description = "Stable identifier of the rule", example = "username-bot") String rule,
            @Schema(example = "username of a service token must start with \"bot-\"") String message) {
    }
}
