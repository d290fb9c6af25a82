package dev.tokenbroker.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tokenbroker.auth.CallerAuthenticationException;
import dev.tokenbroker.auth.GafaelfawrBearerMechanism;
import dev.tokenbroker.auth.UnauthenticatedRequests;
import dev.tokenbroker.problem.ProblemException;
import dev.tokenbroker.time.EpochOrIso;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into a problem document. Our own failures carry their
 * answer ({@link ProblemException}); library failures (Jackson, JAX-RS) are
 * translated here, and their messages, which echo the input, are never passed on.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String CHALLENGE = "Bearer realm=\"" + GafaelfawrBearerMechanism.REALM + "\"";
    private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate field '(.{1,64})'");

    @Inject
    Problems problems;

    @Inject
    UnauthenticatedRequests unauthenticated;

    @ServerExceptionMapper
    public Response problem(ProblemException e, ContainerRequestContext request) {
        if (e.status() >= 500) {
            LOG.warnf(e.getCause(), "%s: %s", e.kind(), e.getMessage());
        }
        List<Problem.FieldError> errors = e.errors().stream()
                .map(rule -> new Problem.FieldError(rule.field(), rule.rule(), rule.message())).toList();
        Response.ResponseBuilder answer = problems.builder(e.status(), e.kind(), e.title(), e.getMessage(),
                origin(request), errors);
        e.retryAfterSeconds().ifPresent(seconds -> answer.header("Retry-After", Integer.toString(seconds)));
        return answer.build();
    }

    @ServerExceptionMapper
    public Response callerRejected(CallerAuthenticationException e, ContainerRequestContext request) {
        return unauthorized(e.bearerError(), e.getMessage(), request);
    }

    /** Quarkus wraps what the identity provider threw; the cause decides the answer. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, ContainerRequestContext request) {
        CallerAuthenticationException rejected = causeOf(e, CallerAuthenticationException.class);
        if (rejected != null) {
            return callerRejected(rejected, request);
        }
        ProblemException known = causeOf(e, ProblemException.class);
        if (known != null) {
            return problem(known, request);
        }
        return unauthorized("invalid_token", "the bearer token was not accepted", request);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, ContainerRequestContext request) {
        return unauthorized(null, "a Gafaelfawr token is required: Authorization: Bearer <token>", request);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ContainerRequestContext request) {
        return problems.of(403, "forbidden", "Forbidden", "the caller may not use this route", origin(request));
    }

    /** The body, or a part of it, is not JSON of the expected shape; Quarkus may wrap these. */
    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e, ContainerRequestContext request) {
        RequestSizeLimit.BodyTooLargeException tooLarge = causeOf(e, RequestSizeLimit.BodyTooLargeException.class);
        if (tooLarge != null) {
            return bodyTooLarge(tooLarge, request);
        }
        if (e instanceof MismatchedInputException wrongShape) {
            return wrongJsonShape(wrongShape, request);
        }
        Matcher duplicate = DUPLICATE_KEY.matcher(String.valueOf(e.getOriginalMessage()));
        String detail = duplicate.find()
                ? "the key \"" + duplicate.group(1) + "\" appears more than once"
                : "the request body is not valid JSON" + (e.getLocation() == null ? ""
                        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        return problems.of(400, "malformed-json", "The request body is not valid JSON", detail, origin(request));
    }

    @ServerExceptionMapper
    public Response bodyTooLarge(RequestSizeLimit.BodyTooLargeException e, ContainerRequestContext request) {
        return problems.builder(413, "body-too-large", "Request body too large", e.getMessage(), origin(request), null)
                .header("Connection", "close").build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, ContainerRequestContext request) {
        RequestSizeLimit.BodyTooLargeException tooLarge = causeOf(e, RequestSizeLimit.BodyTooLargeException.class);
        if (tooLarge != null) {
            return bodyTooLarge(tooLarge, request);
        }
        JsonProcessingException unreadable = causeOf(e, JsonProcessingException.class);
        if (unreadable != null) {
            return unreadableBody(unreadable, request);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return problems.of(status, "internal", "Internal error", "the broker failed; see its logs", origin(request));
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        String detail = switch (status) {
            case 400 -> "the request could not be read";
            case 404 -> "no such route: " + request.getUriInfo().getRequestUri().getRawPath();
            case 405 -> "this route does not allow that method";
            case 406 -> "the broker answers application/json only";
            case 415 -> "the request body must be application/json";
            default -> type.getReasonPhrase();
        };
        Response.ResponseBuilder builder = problems.builder(status, "http-" + status, type.getReasonPhrase(), detail,
                origin(request), null);
        String allow = e.getResponse().getHeaderString("Allow");
        if (allow != null) {
            builder.header("Allow", allow);
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, ContainerRequestContext request) {
        LOG.error("unexpected failure", e);
        return problems.of(500, "internal", "Internal error", "the broker failed; see its logs", origin(request));
    }

    /** Declared for this exact type: Quarkus's own mapper for it would otherwise answer plain JSON. */
    @ServerExceptionMapper
    public Response wrongJsonShape(MismatchedInputException e, ContainerRequestContext request) {
        String field = fieldPath(e);
        String expected = "expires".equals(field) ? EpochOrIso.EXPECTED : describe(e.getTargetType());
        String message = field.isEmpty() ? "the request body must be a JSON object" : field + " must be " + expected;
        return problems.builder(400, "malformed-json", "The request body does not have the expected shape", message,
                origin(request), List.of(new Problem.FieldError(field.isEmpty() ? null : field, "json-type", message)))
                .build();
    }

    /** @param bearerError RFC 6750's error code, or null when no credentials were sent */
    private Response unauthorized(String bearerError, String detail, ContainerRequestContext request) {
        Problems.Origin origin = origin(request);
        unauthenticated.refused(bearerError == null ? "missing" : bearerError, origin.requestId(), origin.instance());
        return problems.builder(401, "unauthenticated", "Authentication required", detail, origin, null)
                .header("WWW-Authenticate", bearerError == null ? CHALLENGE : CHALLENGE + ", error=\"" + bearerError + "\"")
                .build();
    }

    /** The path as the client sent it, root path included. */
    private static Problems.Origin origin(ContainerRequestContext request) {
        return new Problems.Origin(request.getUriInfo().getRequestUri().getRawPath(),
                request.getHeaderString(RequestIds.HEADER));
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type != null && java.util.Collection.class.isAssignableFrom(type)) {
            return "an array of strings";
        }
        return "of another type";
    }

    private static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
