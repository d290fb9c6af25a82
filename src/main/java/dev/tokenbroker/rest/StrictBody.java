package dev.tokenbroker.rest;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Every request body extends this: fields outside its own are collected, never dropped,
 * so that the policy ({@link dev.tokenbroker.policy.BodyFields}) refuses them by name. A
 * typo such as {@code grace_period} must not fall back to a default silently.
 */
public abstract class StrictBody {

    // Not a field of the API (a generated client would send it).
    @Schema(hidden = true)
    private final Set<String> otherFields = new TreeSet<>();

    @JsonAnySetter
    void otherField(String field, Object value) {
        // An explicit null sets nothing, as in Gafaelfawr.
        if (value != null) {
            otherFields.add(field);
        }
    }

    /** The names of the fields this body does not have. */
    public Set<String> otherFields() {
        return Set.copyOf(otherFields);
    }
}
