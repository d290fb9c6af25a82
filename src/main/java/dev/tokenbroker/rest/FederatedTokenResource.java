package dev.tokenbroker.rest;

import dev.tokenbroker.auth.JobTokenIdentityProvider;
import dev.tokenbroker.service.ExchangeDraft;
import dev.tokenbroker.service.FederationService;
import dev.tokenbroker.service.IdempotencyKeys;
import dev.tokenbroker.service.IssuedToken;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

/** HTTP face of the exchange: a CI job's OIDC identity token for a short-lived token of a bot. */
@Path("/federated-tokens")
@Tag(name = "Federated tokens", description = "CI jobs mint with their OIDC identity token, holding no secret")
@SecurityRequirement(name = BrokerApi.JOB_TOKEN_SCHEME)
public class FederatedTokenResource {

    @Inject
    FederationService federation;

    @Inject
    SecurityIdentity identity;

    @Inject
    Problems problems;

    @Inject
    ClientAddress clientAddress;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "exchangeJobToken", summary = "Exchange a CI job's identity token for a bot's token",
            description = "Authorization: Bearer <the job's OIDC identity token>, signed by a trusted issuer, for the"
                    + " broker's audience, used once. The bot's first trust policy (by name) that matches the job"
                    + " decides the scopes and the longest lifetime. The mint is audited with the job's iss and sub"
                    + " and the policy; no trust policy matching is 403 no-trust-policy-matches.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FederatedTokenRequest.class),
            examples = @ExampleObject(name = "release", summary = "A token for a release job",
                    value = "{\"username\": \"bot-foo-release\", \"lifetime\": \"PT15M\"}")))
    @APIResponse(responseCode = "201", description = "Minted. The token is shown once and never stored.",
            headers = {
                @Header(name = "Location", description = "/service-tokens/{key}", schema = @Schema(type = SchemaType.STRING)),
                @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
                @Header(name = MintedResponses.REPLACED, description = "With an Idempotency-Key seen before: the key"
                        + " of the token this one replaces (it was revoked)", schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IssueTokenResponse.class),
                    examples = @ExampleObject(name = "minted", value = ResponseExamples.ISSUED)))
    @APIResponse(responseCode = "422", description = "The body breaks a rule, by field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response exchange(FederatedTokenRequest body,
            @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Parameter(description = "Makes retries safe, as on POST /service-tokens; scoped to the job's"
                    + " issuer and subject (a retry needs a fresh job token: each is used once)")
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
            @Context HttpServerRequest http, @Context UriInfo uri) {
        if (body == null) {
            return problems.missingBody("{\"username\": \"bot-example\"}",
                    new Problems.Origin(uri.getRequestUri().getPath(), requestId));
        }
        IssuedToken issued = federation.exchange(JobTokenIdentityProvider.jobOf(identity),
                new ExchangeDraft(body.username, body.scopes, body.lifetime, body.otherFields()),
                clientAddress.context(requestId, http), SentHeaders.of(http, IdempotencyKeys.HEADER));
        return MintedResponses.created(issued, uri).entity(IssueTokenResponse.from(issued)).build();
    }
}
