package dev.tokenbroker.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tokenbroker.audit.AuditStoreException;
import dev.tokenbroker.auth.CallerAuthenticationException;
import dev.tokenbroker.auth.GafaelfawrBearerMechanism;
import dev.tokenbroker.auth.UnauthenticatedRequests;
import dev.tokenbroker.config.InvalidConfigurationException;
import dev.tokenbroker.gafaelfawr.GafaelfawrException;
import dev.tokenbroker.policy.Decision;
import dev.tokenbroker.policy.Violation;
import dev.tokenbroker.service.AccessDeniedException;
import dev.tokenbroker.service.AuditUnavailableException;
import dev.tokenbroker.service.InvalidQueryException;
import dev.tokenbroker.service.PolicyDeniedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into a problem document. Messages shown come from our own
 * exceptions, which never carry a secret; library messages (Jackson's echo the
 * input) are never passed through.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String CHALLENGE = "Bearer realm=\"" + GafaelfawrBearerMechanism.REALM + "\"";

    @Inject
    Problems problems;

    @Inject
    UnauthenticatedRequests unauthenticated;

    @ServerExceptionMapper
    public Response policyDenied(PolicyDeniedException e, ContainerRequestContext request) {
        Decision.Denied denied = e.decision();
        List<Problem.FieldError> errors = denied.violations().stream()
                .map(v -> new Problem.FieldError(v.field(), v.rule(), v.message()))
                .toList();
        String detail = denied.violations().stream().map(Violation::message).collect(Collectors.joining("; "));
        return denied.invalid()
                ? problems.builder(422, "policy-violation", "Request breaks the broker's policy", detail, origin(request), errors).build()
                : problems.builder(403, "forbidden", "Caller may not have this token", detail, origin(request), errors).build();
    }

    @ServerExceptionMapper
    public Response callerRejected(CallerAuthenticationException e, ContainerRequestContext request) {
        return unauthorized(e.bearerError(), e.getMessage(), request);
    }

    /** Quarkus may wrap what the identity provider threw; the cause decides the answer. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, ContainerRequestContext request) {
        GafaelfawrException upstream = causeOf(e, GafaelfawrException.class);
        if (upstream != null) {
            return gafaelfawr(upstream, request);
        }
        CallerAuthenticationException rejected = causeOf(e, CallerAuthenticationException.class);
        if (rejected != null) {
            return callerRejected(rejected, request);
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

    @ServerExceptionMapper
    public Response accessDenied(AccessDeniedException e, ContainerRequestContext request) {
        return problems.of(403, "forbidden", "Forbidden", e.getMessage(), origin(request));
    }

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e, ContainerRequestContext request) {
        return problems.builder(400, "invalid-query", "A query parameter is invalid", e.getMessage(), origin(request),
                List.of(new Problem.FieldError(e.field(), "query-parameter", e.getMessage()))).build();
    }

    @ServerExceptionMapper
    public Response auditUnavailable(AuditUnavailableException e, ContainerRequestContext request) {
        return problems.builder(503, "audit-unavailable", "The audit log is unavailable", e.getMessage(),
                origin(request), null).header("Retry-After", "30").build();
    }

    @ServerExceptionMapper
    public Response auditUnreadable(AuditStoreException e, ContainerRequestContext request) {
        LOG.error("audit store failure", e);
        return problems.builder(503, "audit-unavailable", "The audit log is unavailable", "the audit log cannot be read",
                origin(request), null).header("Retry-After", "30").build();
    }

    @ServerExceptionMapper
    public Response gafaelfawr(GafaelfawrException e, ContainerRequestContext request) {
        LOG.warnf("Gafaelfawr fault %s: %s", e.fault(), e.getMessage());
        Problems.Origin origin = origin(request);
        return switch (e.fault()) {
            case UNREACHABLE -> problems.of(502, "upstream-unreachable", "Gafaelfawr is unreachable", e.getMessage(), origin);
            case TIMEOUT -> problems.of(504, "upstream-timeout", "Gafaelfawr did not answer in time", e.getMessage(), origin);
            case BAD_RESPONSE -> problems.of(502, "upstream-failure", "Gafaelfawr failed", e.getMessage(), origin);
            case REQUEST_REFUSED -> problems.of(502, "upstream-refused", "Gafaelfawr refused the request", e.getMessage(), origin);
            case CREDENTIAL_REJECTED -> problems.of(503, "broker-credential-rejected",
                    "The broker's admin token is not accepted by Gafaelfawr", e.getMessage(), origin);
        };
    }

    @ServerExceptionMapper
    public Response brokenConfiguration(InvalidConfigurationException e, ContainerRequestContext request) {
        LOG.error(e.getMessage());
        return problems.of(503, "broker-misconfigured", "The broker cannot mint: its configuration is unusable",
                e.getMessage(), origin(request));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, ContainerRequestContext request) {
        RequestSizeLimit.BodyTooLargeException tooLarge = causeOf(e, RequestSizeLimit.BodyTooLargeException.class);
        if (tooLarge != null) {
            return bodyTooLarge(tooLarge, request);
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return problems.of(400, "malformed-json", "The request body is not valid JSON",
                "the request body is not valid JSON" + where, origin(request));
    }

    @ServerExceptionMapper
    public Response wrongJsonShape(MismatchedInputException e, ContainerRequestContext request) {
        String field = fieldPath(e);
        String expected = "expires".equals(field)
                ? EpochOrIsoInstantDeserializer.EXPECTED
                : describe(e.getTargetType());
        String message = field.isEmpty()
                ? "the request body must be a JSON object"
                : field + " must be " + expected;
        return problems.builder(400, "malformed-json", "The request body does not have the expected shape", message,
                origin(request), List.of(new Problem.FieldError(field.isEmpty() ? null : field, "json-type", message)))
                .build();
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
        MismatchedInputException wrongShape = causeOf(e, MismatchedInputException.class);
        if (wrongShape != null) {
            return wrongJsonShape(wrongShape, request);
        }
        JsonProcessingException notJson = causeOf(e, JsonProcessingException.class);
        if (notJson != null) {
            return malformedJson(notJson, request);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return problems.of(status, "internal", "Internal error", "the broker failed; see its logs", origin(request));
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        String detail = switch (status) {
            case 400 -> "the request could not be read";
            case 404 -> "no such route: " + request.getUriInfo().getRequestUri().getPath();
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

    /** @param bearerError RFC 6750's error code, or null when no credentials were sent */
    private Response unauthorized(String bearerError, String detail, ContainerRequestContext request) {
        Problems.Origin origin = origin(request);
        unauthenticated.refused(bearerError == null ? "missing" : bearerError, origin.requestId(), origin.instance());
        return problems.builder(401, "unauthenticated", "Authentication required", detail, origin, null)
                .header("WWW-Authenticate", bearerError == null ? CHALLENGE : CHALLENGE + ", error=\"" + bearerError + "\"")
                .build();
    }

    private static Problems.Origin origin(ContainerRequestContext request) {
        return new Problems.Origin(request.getUriInfo().getRequestUri().getPath(),
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
