package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /bots/{username}/owners}: the whole new owner set. */
@Schema(name = "OwnersRequest", description = "The new owners, replacing the old; at least one user or group")
public class OwnersRequest extends StrictBody {

    @Schema(example = "[\"alice\", \"bob\"]", description = "Gafaelfawr usernames")
    @JsonSetter(contentNulls = Nulls.FAIL)
    public List<String> users = List.of();

    @Schema(example = "[\"g_jenkins_admins\"]", description = "Gafaelfawr group names")
    @JsonSetter(contentNulls = Nulls.FAIL)
    public List<String> groups = List.of();
}
