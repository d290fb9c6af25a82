package dev.tokenbroker.rest;

import dev.tokenbroker.auth.GafaelfawrIdentityProvider;
import dev.tokenbroker.service.AuditQueryService;
import dev.tokenbroker.service.IssuedToken;
import dev.tokenbroker.service.RequestContext;
import dev.tokenbroker.service.TokenIssuanceService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** HTTP face of token issuance: translates the request, calls the service, shapes the answer. */
@Path("/service-tokens")
@Tag(name = "Service tokens", description = "Minting Gafaelfawr service tokens for bot users")
@SecurityRequirement(name = BrokerApi.SECURITY_SCHEME)
public class ServiceTokenResource {

    @Inject
    TokenIssuanceService issuance;

    @Inject
    SecurityIdentity identity;

    @Inject
    Problems problems;

    @Inject
    AuditQueryService audit;

    @Inject
    ClientAddress clientAddress;

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mint a service token for a bot user",
            description = "Checks the request against the broker's policy, then asks Gafaelfawr to mint the token"
                    + " with the broker's admin token. The body is the same as Gafaelfawr's POST /auth/api/v1/tokens"
                    + " for a service token, plus an optional expires. A token POST is never retried.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = IssueTokenRequest.class),
            examples = {
                @ExampleObject(name = "seed", summary = "The seed procedure's body",
                        value = "{\"username\": \"bot-jenkins-metrics\", \"name\": \"Jenkins metrics job\","
                                + " \"token_type\": \"service\", \"scopes\": [\"write:sasquatch\"]}"),
                @ExampleObject(name = "with-expiry", summary = "With an explicit expiry",
                        value = "{\"username\": \"bot-jenkins-metrics\", \"name\": \"Jenkins metrics job\","
                                + " \"scopes\": [\"write:sasquatch\"], \"expires\": \"2027-06-01T00:00:00Z\"}")}))
    @APIResponse(responseCode = "201", description = "Minted. The token is shown once and never stored.",
            headers = {
                @Header(name = "Location", description = "/service-tokens/{key}", schema = @Schema(type = SchemaType.STRING)),
                @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IssueTokenResponse.class)))
    public Response issue(IssueTokenRequest body,
            @Parameter(description = "Your own id for this request (1 to 128 of A-Z a-z 0-9 . _ : -), echoed and"
                    + " audited; one is generated when absent") @HeaderParam(RequestIds.HEADER) String requestId,
            @Context HttpServerRequest http, @Context UriInfo uri) {
        if (body == null) {
            return problems.of(400, "missing-body", "The request body is required",
                    "send a JSON object such as {\"username\": \"bot-example\"}",
                    new Problems.Origin("/service-tokens", requestId));
        }
        RequestContext context = new RequestContext(requestId, clientAddress.of(http),
                http.getHeader(HttpHeaders.USER_AGENT));
        IssuedToken issued = issuance.issue(GafaelfawrIdentityProvider.callerOf(identity), body.toTokenRequest(),
                context);
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, uri.getBaseUri().getRawPath() + "service-tokens/" + issued.key())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(IssueTokenResponse.from(issued))
                .build();
    }

    @GET
    @Path("/{key}")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What was issued under a token key",
            description = "From the audit log, never the secret. Callers see the tokens they requested; holders of"
                    + " the auditor scope see all. A key that is unknown or not yours is 404.")
    @APIResponse(responseCode = "200", description = "The issuance",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ServiceTokenView.class)))
    @APIResponse(responseCode = "404", description = "No such token, or not one you requested",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response describe(@PathParam("key") String key, @HeaderParam(RequestIds.HEADER) String requestId,
            @Context UriInfo uri) {
        return audit.issuanceOf(GafaelfawrIdentityProvider.callerOf(identity), key)
                .map(issued -> Response.ok(ServiceTokenView.of(issued)).build())
                .orElseGet(() -> problems.of(404, "not-found", "No such service token",
                        "no service token with this key was issued to you",
                        new Problems.Origin(uri.getRequestUri().getPath(), requestId)));
    }
}
