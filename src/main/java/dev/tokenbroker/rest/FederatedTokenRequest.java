package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /federated-tokens}: which bot, and optionally less than its trust policy grants. */
@Schema(name = "FederatedTokenRequest")
public class FederatedTokenRequest extends StrictBody {

    @Schema(required = true, example = "bot-foo-release", description = "The bot whose trust policy admits the job")
    public String username;

    @JsonSetter(contentNulls = Nulls.FAIL)
    @Schema(example = "[\"write:sasquatch\"]", nullable = true,
            description = "Within the matching trust policy's scopes; default: all of them")
    public List<String> scopes;

    @Schema(example = "PT15M", nullable = true,
            description = "ISO 8601 duration the token lives; at most the policy's max_lifetime, which is the default")
    public String lifetime;
}
