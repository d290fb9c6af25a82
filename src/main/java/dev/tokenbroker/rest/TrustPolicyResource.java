package dev.tokenbroker.rest;

import dev.tokenbroker.auth.GafaelfawrIdentityProvider;
import dev.tokenbroker.service.TrustPolicyDraft;
import dev.tokenbroker.service.TrustPolicyService;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** HTTP face of trust policies: which CI jobs may mint for a bot without a stored secret. */
@Path("/bots/{username}/trust-policies")
@Tag(name = "Trust policies", description = "Which CI jobs may exchange their OIDC identity token for a bot's token")
@SecurityRequirement(name = BrokerApi.SECURITY_SCHEME)
public class TrustPolicyResource {

    private static final String NAME = "The policy's name: 1 to 64 lower-case letters, digits and dashes";

    @Inject
    TrustPolicyService policies;

    @Inject
    SecurityIdentity identity;

    @Inject
    Problems problems;

    @Inject
    ClientAddress clientAddress;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listTrustPolicies", summary = "A bot's trust policies",
            description = "In the order an exchange tries them (by name). Whoever may read the bot may read them.")
    @APIResponse(responseCode = "200", description = "The policies",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TrustPolicyView.class, type = SchemaType.ARRAY),
                    examples = @ExampleObject(name = "policies", value = ResponseExamples.TRUST_POLICIES)))
    @APIResponse(responseCode = "404", description = "Unknown bot, or not yours",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(@Parameter(description = ParameterDocs.BOT_USERNAME) @PathParam("username") String username,
            @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Context UriInfo uri) {
        return policies.list(GafaelfawrIdentityProvider.callerOf(identity), username)
                .map(all -> Response.ok(all.stream().map(TrustPolicyView::of).toList()).build())
                .orElseGet(() -> notFound(uri, requestId, "no bot of this name is yours"));
    }

    @GET
    @Path("/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getTrustPolicy", summary = "One trust policy of a bot",
            description = "Whoever may read the bot may read its policies; 404 when the bot or policy is not yours.")
    @APIResponse(responseCode = "200", description = "The policy",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrustPolicyView.class),
                    examples = @ExampleObject(name = "policy", value = ResponseExamples.TRUST_POLICY)))
    @APIResponse(responseCode = "404", description = "No such policy, or not your bot's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@Parameter(description = ParameterDocs.BOT_USERNAME) @PathParam("username") String username,
            @Parameter(description = NAME) @PathParam("name") String name,
            @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Context UriInfo uri) {
        return policies.find(GafaelfawrIdentityProvider.callerOf(identity), username, name)
                .map(policy -> Response.ok(TrustPolicyView.of(policy)).build())
                .orElseGet(() -> notFound(uri, requestId, "no policy of this name on a bot of yours"));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putTrustPolicy", summary = "Create or replace a trust policy",
            description = "Owners and admins may. The policy names a trusted issuer, the job's sub (exactly or by an"
                    + " anchored pattern), optional claims, the scopes it may grant and a maximum lifetime. Audited.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TrustPolicyRequest.class),
            examples = @ExampleObject(name = "release", summary = "Release workflows of one repository",
                    value = "{\"issuer\": \"github\", \"subject_pattern\": \"repo:lsst-sqre/foo:ref:refs/tags/.*\","
                            + " \"claims\": {\"repository_owner\": \"lsst-sqre\"}, \"scopes\": [\"write:sasquatch\"],"
                            + " \"max_lifetime\": \"PT1H\"}")))
    @APIResponse(responseCode = "200", description = "The policy as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrustPolicyView.class),
                    examples = @ExampleObject(name = "policy", value = ResponseExamples.TRUST_POLICY)))
    @APIResponse(responseCode = "404", description = "Unknown bot, or not yours",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A rule the policy breaks, by field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response put(@Parameter(description = ParameterDocs.BOT_USERNAME) @PathParam("username") String username,
            @Parameter(description = NAME) @PathParam("name") String name, TrustPolicyRequest body,
            @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Context HttpServerRequest http, @Context UriInfo uri) {
        if (body == null) {
            return problems.missingBody("{\"issuer\": \"github\", \"subject\": \"repo:org/repo:ref:refs/heads/main\","
                    + " \"scopes\": [\"write:sasquatch\"]}",
                    new Problems.Origin(uri.getRequestUri().getPath(), requestId));
        }
        TrustPolicyDraft draft = new TrustPolicyDraft(body.issuer, body.subject, body.subjectPattern, body.claims,
                body.claimPatterns, body.scopes, body.maxLifetime, body.otherFields());
        return policies.put(GafaelfawrIdentityProvider.callerOf(identity), username, name, draft,
                        clientAddress.context(requestId, http))
                .map(policy -> Response.ok(TrustPolicyView.of(policy)).build())
                .orElseGet(() -> notFound(uri, requestId, "no bot of this name is yours"));
    }

    @DELETE
    @Path("/{name}")
    @Operation(operationId = "deleteTrustPolicy", summary = "Delete a trust policy",
            description = "Owners and admins may. Jobs it admitted can no longer exchange; tokens already minted live on."
                    + " Audited.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such policy, or not your bot's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@Parameter(description = ParameterDocs.BOT_USERNAME) @PathParam("username") String username,
            @Parameter(description = NAME) @PathParam("name") String name,
            @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Context HttpServerRequest http, @Context UriInfo uri) {
        return policies.delete(GafaelfawrIdentityProvider.callerOf(identity), username, name,
                clientAddress.context(requestId, http))
                ? Response.noContent().build()
                : notFound(uri, requestId, "no policy of this name on a bot of yours");
    }

    private Response notFound(UriInfo uri, String requestId, String detail) {
        return problems.of(404, "not-found", "No such trust policy", detail,
                new Problems.Origin(uri.getRequestUri().getPath(), requestId));
    }
}
