package dev.tokenbroker.rest;

import dev.tokenbroker.audit.AuditFilter;
import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.service.AuditEntry;
import dev.tokenbroker.auth.GafaelfawrIdentityProvider;
import dev.tokenbroker.service.AuditQueryService;
import dev.tokenbroker.service.InvalidQueryException;
import dev.tokenbroker.time.EpochOrIso;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** HTTP face of the audit log: listing records and verifying the hash chain. */
@Path("/audit")
@Tag(name = "Audit", description = "Who asked for which token, tamper-evident")
@SecurityRequirement(name = BrokerApi.SECURITY_SCHEME)
public class AuditResource {

    @Inject
    AuditQueryService audit;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/events")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAuditEvents", summary = "List audit records, newest first",
            description = "Holders of the auditor scope (broker.audit.auditor-scope, default admin:token) see every"
                    + " record; other callers see only the records they caused. Pages follow the Link header"
                    + " (rel=\"next\").")
    @APIResponse(responseCode = "200", description = "A page of records; Link: <...>; rel=\"next\" when more may follow",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AuditEventView.class, type = SchemaType.ARRAY),
                    examples = @ExampleObject(name = "page", value = ResponseExamples.AUDIT_EVENTS)))
    public Response events(
            @Parameter(description = "Who asked") @QueryParam("caller") String caller,
            @Parameter(description = "The bot user asked for") @QueryParam("username") String username,
            @Parameter(description = "pending, issued, denied, failed, unknown or compensated")
            @QueryParam("outcome") String outcome,
            @Parameter(description = "Key of the minted token") @QueryParam("token_key") String tokenKey,
            @Parameter(description = "ISO 8601 or epoch seconds, inclusive") @QueryParam("since") String since,
            @Parameter(description = "ISO 8601 or epoch seconds, inclusive") @QueryParam("until") String until,
            @BeanParam PageParameters paging,
            @Context UriInfo uri) {
        AuditFilter filter = new AuditFilter(caller, username, outcome(outcome), tokenKey,
                instant("since", since), instant("until", until));
        int pageSize = Paging.limit(paging.limit);
        Long before = paging.cursor == null ? null : positive("cursor", paging.cursor);
        List<AuditEntry> page = audit.events(GafaelfawrIdentityProvider.callerOf(identity), filter, before, pageSize);
        Response.ResponseBuilder response = Response.ok(page.stream().map(AuditEventView::of).toList());
        if (page.size() == pageSize) {
            Paging.linkNext(response, uri, Long.toString(page.get(page.size() - 1).seq()));
        }
        return response.build();
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verifyAuditChain", summary = "Recompute the audit hash chain",
            description = "Reports the first altered, missing or foreign record. Needs the auditor scope.")
    @APIResponse(responseCode = "200", description = "The report; intact is false when the chain is broken",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ChainVerificationView.class),
                    examples = @ExampleObject(name = "intact", value = ResponseExamples.CHAIN_INTACT)))
    @APIResponse(responseCode = "403", description = "The caller lacks the auditor scope",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ChainVerificationView verify() {
        return ChainVerificationView.of(audit.verify(GafaelfawrIdentityProvider.callerOf(identity)));
    }

    private static AuditOutcome outcome(String label) {
        if (label == null) {
            return null;
        }
        try {
            return AuditOutcome.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("outcome", "outcome must be one of " + java.util.Arrays.stream(
                    AuditOutcome.values()).map(AuditOutcome::label).collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    private static Instant instant(String field, String text) {
        if (text == null) {
            return null;
        }
        return EpochOrIso.parse(text).filter(EpochOrIso::inRange).orElseThrow(() -> new InvalidQueryException(field,
                field + " must be " + EpochOrIso.EXPECTED + ", in years 0000 to 9999"));
    }

    private static Long positive(String field, String text) {
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidQueryException(field, field + " must be a positive whole number");
    }
}
