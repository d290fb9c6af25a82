package dev.tokenbroker.rest;

import dev.tokenbroker.logging.SecretRedaction;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds {@code application/problem+json} answers; the one place their shape is decided. */
@ApplicationScoped
public class Problems {

    static final String TYPE_PREFIX = "urn:service-token-broker:problem:";

    @Inject
    ObjectMapper json;

    /** Where the problem happened: the path and the request's id. */
    public record Origin(String instance, String requestId) {
    }

    public Response.ResponseBuilder builder(int status, String kind, String title, String detail, Origin origin,
            List<Problem.FieldError> errors) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(json(status, kind, title, detail, origin, errors));
    }

    /** A request without the body its route requires; {@code example} shows one. */
    public Response missingBody(String example, Origin origin) {
        return of(400, "missing-body", "The request body is required", "send a JSON object such as " + example, origin);
    }

    /** The serialized document, for answers written outside JAX-RS. */
    public String json(int status, String kind, String title, String detail, Origin origin,
            List<Problem.FieldError> errors) {
        // Every error body passes here: whatever a caller sent that a message repeats, no token secret leaves.
        Problem problem = new Problem(TYPE_PREFIX + kind, title, status, SecretRedaction.redact(detail),
                SecretRedaction.redact(origin.instance()), origin.requestId(), errors == null || errors.isEmpty() ? null
                        : errors.stream().map(e -> new Problem.FieldError(SecretRedaction.redact(e.field()), e.rule(),
                                SecretRedaction.redact(e.message()))).toList());
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document must always serialize", e);
        }
    }

    public Response of(int status, String kind, String title, String detail, Origin origin) {
        return builder(status, kind, title, detail, origin, null).build();
    }
}
