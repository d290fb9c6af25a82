package dev.tokenbroker.rest;

import dev.tokenbroker.auth.GafaelfawrIdentityProvider;
import dev.tokenbroker.service.Page;
import dev.tokenbroker.service.IdempotencyKeys;
import dev.tokenbroker.service.InvalidQueryException;
import dev.tokenbroker.service.TokenService;
import dev.tokenbroker.policy.TokenState;
import dev.tokenbroker.service.TokenView;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.QueryParam;
import dev.tokenbroker.service.IssuedToken;
import dev.tokenbroker.service.RequestContext;
import dev.tokenbroker.service.TokenIssuanceService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
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
    ClientAddress clientAddress;

    @Inject
    TokenService tokens;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "issueServiceToken", summary = "Mint a service token for a bot user",
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
                @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
                @Header(name = MintedResponses.REPLACED, description = "With an Idempotency-Key seen before: the key of the token"
                        + " this one replaces (it was revoked)", schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IssueTokenResponse.class),
                    examples = @ExampleObject(name = "minted", value = ResponseExamples.ISSUED)))
    @APIResponse(responseCode = "409", description = "The first attempt with this Idempotency-Key is still running"
            + " (Retry-After says when to ask again)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response issue(IssueTokenRequest body,
            @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Parameter(description = "Makes retries safe (IETF httpapi draft): 1 to 255 printable ASCII characters,"
                    + " yours alone, kept 24 hours. The same key and body again after the first attempt completed"
                    + " revokes the first token and mints a new one (Idempotency-Replaced names the old key); while"
                    + " the first attempt runs: 409; with another body: 422. At most one live token per key.")
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
            @Context HttpServerRequest http, @Context UriInfo uri) {
        if (body == null) {
            return problems.missingBody("{\"username\": \"bot-example\"}",
                    new Problems.Origin("/service-tokens", requestId));
        }
        RequestContext context = clientAddress.context(requestId, http);
        IssuedToken issued = issuance.issue(GafaelfawrIdentityProvider.callerOf(identity), body.toTokenRequest(),
                context, SentHeaders.of(http, IdempotencyKeys.HEADER));
        return MintedResponses.created(issued, uri).entity(IssueTokenResponse.from(issued)).build();
    }

    @GET
    @Path("/{key}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getServiceToken", summary = "What was issued under a token key",
            description = "From the audit log, never the secret. Callers see the tokens they requested; holders of"
                    + " the auditor scope see all. A key that is unknown or not yours is 404.")
    @APIResponse(responseCode = "200", description = "The issuance",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ServiceTokenView.class),
                    examples = @ExampleObject(name = "token", value = ResponseExamples.ONE_TOKEN)))
    @APIResponse(responseCode = "404", description = "No such token, or not one you requested",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response describe(@Parameter(description = ParameterDocs.TOKEN_KEY) @PathParam("key") String key, @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Context UriInfo uri) {
        return tokens.describe(GafaelfawrIdentityProvider.callerOf(identity), key)
                .map(found -> Response.ok(ServiceTokenView.of(found)).build())
                .orElseGet(() -> notFound(uri, requestId));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listServiceTokens", summary = "Tokens of the bots you own",
            description = "Newest first; admins see every bot's. The state is read from Gafaelfawr now, so a token"
                    + " revoked elsewhere shows revoked. With a state filter a page may hold fewer than limit"
                    + " tokens; follow the Link header until there is none.")
    @APIResponse(responseCode = "200", description = "One page of tokens",
            headers = @Header(name = "Link", description = "<…?cursor=…>; rel=\"next\" when there is more",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ServiceTokenView.class, type = SchemaType.ARRAY),
                    examples = @ExampleObject(name = "page", value = ResponseExamples.TOKENS)))
    @APIResponse(responseCode = "400", description = "A query parameter is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(
            @Parameter(description = "Only this bot's tokens") @QueryParam("username") String username,
            @Parameter(description = "active, expired or revoked", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"active", "expired", "revoked"})) @QueryParam("state") String state,
            @BeanParam PageParameters paging,
            @Context UriInfo uri) {
        Page<TokenView> page = tokens.list(GafaelfawrIdentityProvider.callerOf(identity), username, state(state),
                Paging.position(paging.cursor), Paging.limit(paging.limit));
        Response.ResponseBuilder response = Response.ok(page.items().stream().map(ServiceTokenView::of).toList());
        Paging.linkNext(response, uri, page.next());
        return response.build();
    }

    @DELETE
    @Path("/{key}")
    @Operation(operationId = "revokeServiceToken", summary = "Revoke a token of a bot you own",
            description = "Revokes it in Gafaelfawr at once. Already revoked (here or elsewhere) is still 204."
                    + " Audited as revoked, with you as the actor.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such token, or not one of your bots'",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response revoke(@Parameter(description = ParameterDocs.TOKEN_KEY) @PathParam("key") String key, @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Context HttpServerRequest http, @Context UriInfo uri) {
        return tokens.revoke(GafaelfawrIdentityProvider.callerOf(identity), key,
                        clientAddress.context(requestId, http))
                .map(revoked -> Response.noContent().build())
                .orElseGet(() -> notFound(uri, requestId));
    }

    @POST
    @Path("/{key}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "rotateServiceToken", summary = "Replace a token of a bot you own",
            description = "Mints a replacement with the same username, name and scopes (the policy, quotas and audit"
                    + " of a mint apply), then revokes the old token at once, or after the grace. A delayed"
                    + " revocation is kept in the database and carried out by one replica, even across restarts."
                    + " A token is rotated at most once; a bot's own token may not rotate.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RotateTokenRequest.class),
            examples = {
                @ExampleObject(name = "at-once", summary = "Revoke the old token now", value = "{}"),
                @ExampleObject(name = "with-grace", summary = "Keep the old token one more hour",
                        value = "{\"grace\": \"PT1H\", \"expires\": \"2027-06-01T00:00:00Z\"}")}))
    @APIResponse(responseCode = "201", description = "The replacement. Shown once and never stored.",
            headers = {
                @Header(name = "Location", description = "/service-tokens/{new key}",
                        schema = @Schema(type = SchemaType.STRING)),
                @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RotatedTokenResponse.class),
                    examples = @ExampleObject(name = "rotated", value = ResponseExamples.ROTATED)))
    @APIResponse(responseCode = "404", description = "No such token, or not one of your bots'",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The token is expired or revoked (token-not-active), or was"
            + " rotated already (token-already-rotated): a token is rotated at most once",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response rotate(@Parameter(description = ParameterDocs.TOKEN_KEY) @PathParam("key") String key, RotateTokenRequest body,
            @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Parameter(description = "As on POST /service-tokens: a retry after completion revokes the replacement"
                    + " the first attempt delivered and mints another") @HeaderParam(IdempotencyKeys.HEADER)
            String idempotencyKey,
            @Context HttpServerRequest http, @Context UriInfo uri) {
        RotateTokenRequest request = body == null ? new RotateTokenRequest() : body;
        return tokens.rotate(GafaelfawrIdentityProvider.callerOf(identity), key, request.expires,
                        request.grace, request.otherFields(), clientAddress.context(requestId, http),
                        SentHeaders.of(http, IdempotencyKeys.HEADER))
                .map(rotated -> MintedResponses.created(rotated.issued(), uri)
                        .entity(RotatedTokenResponse.from(rotated)).build())
                .orElseGet(() -> notFound(uri, requestId));
    }

    private Response notFound(UriInfo uri, String requestId) {
        return problems.of(404, "not-found", "No such service token",
                "no service token with this key is yours to see",
                new Problems.Origin(uri.getRequestUri().getPath(), requestId));
    }

    private static TokenState state(String label) {
        if (label == null) {
            return null;
        }
        try {
            return TokenState.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("state", "state must be one of active, expired, revoked");
        }
    }
}
