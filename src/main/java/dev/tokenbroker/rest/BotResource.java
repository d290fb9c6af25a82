package dev.tokenbroker.rest;

import dev.tokenbroker.auth.GafaelfawrIdentityProvider;
import dev.tokenbroker.service.BotDetails;
import dev.tokenbroker.service.Page;
import dev.tokenbroker.service.BotService;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
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

/** HTTP face of bot ownership: listing bots and changing their owners. */
@Path("/bots")
@Tag(name = "Bots", description = "Bot users, their owners and their active tokens")
@SecurityRequirement(name = BrokerApi.SECURITY_SCHEME)
public class BotResource {

    @Inject
    BotService bots;

    @Inject
    SecurityIdentity identity;

    @Inject
    Problems problems;

    @Inject
    ClientAddress clientAddress;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listBots", summary = "Bots you own",
            description = "Bots whose owners include you or one of your groups (admins: all bots), newest first."
                    + " Follow the Link header for the next page.")
    @APIResponse(responseCode = "200", description = "One page of bots",
            headers = @Header(name = "Link", description = "<…?cursor=…>; rel=\"next\" when there is more",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BotView.class, type = SchemaType.ARRAY),
                    examples = @ExampleObject(name = "page", value = ResponseExamples.BOTS)))
    public Response list(
            @Parameter(description = "Admins only: bots with this user or group among their owners")
            @QueryParam("owner") String owner,
            @BeanParam PageParameters paging,
            @Context UriInfo uri) {
        Page<BotDetails> page = bots.list(GafaelfawrIdentityProvider.callerOf(identity), owner,
                Paging.position(paging.cursor), Paging.limit(paging.limit));
        Response.ResponseBuilder response = Response.ok(page.items().stream().map(BotView::of).toList());
        Paging.linkNext(response, uri, page.next());
        return response.build();
    }

    @GET
    @Path("/{username}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getBot", summary = "One bot you own",
            description = "404 when the bot is unknown or not yours (admins see all).")
    @APIResponse(responseCode = "200", description = "The bot",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BotView.class),
                    examples = @ExampleObject(name = "bot", value = ResponseExamples.ONE_BOT)))
    @APIResponse(responseCode = "404", description = "Unknown, or not yours",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@Parameter(description = ParameterDocs.BOT_USERNAME) @PathParam("username") String username, @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId,
            @Context UriInfo uri) {
        return bots.find(GafaelfawrIdentityProvider.callerOf(identity), username)
                .map(bot -> Response.ok(BotView.of(bot)).build())
                .orElseGet(() -> notFound(uri, requestId));
    }

    @PUT
    @Path("/{username}/owners")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setBotOwners", summary = "Replace a bot's owners",
            description = "Owners and admins may; an admin also for a bot nobody owns yet (unclaimed). The new set"
                    + " replaces the old and must not be empty. Audited with the actor.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = OwnersRequest.class),
            examples = @ExampleObject(name = "team", summary = "A person and a group",
                    value = "{\"users\": [\"alice\"], \"groups\": [\"g_jenkins_admins\"]}")))
    @APIResponse(responseCode = "200", description = "The bot with its new owners",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BotView.class),
                    examples = @ExampleObject(name = "bot", value = ResponseExamples.ONE_BOT)))
    @APIResponse(responseCode = "404", description = "Unknown, or not yours",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Empty owner set, or a name Gafaelfawr would not accept",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response setOwners(@Parameter(description = ParameterDocs.BOT_USERNAME) @PathParam("username") String username, OwnersRequest body,
            @Parameter(description = ParameterDocs.REQUEST_ID) @HeaderParam(RequestIds.HEADER) String requestId, @Context HttpServerRequest http, @Context UriInfo uri) {
        if (body == null) {
            return problems.missingBody("{\"users\": [\"alice\"], \"groups\": []}",
                    new Problems.Origin(uri.getRequestUri().getPath(), requestId));
        }
        return bots.setOwners(GafaelfawrIdentityProvider.callerOf(identity), username, body.users, body.groups,
                        body.otherFields(), clientAddress.context(requestId, http))
                .map(bot -> Response.ok(BotView.of(bot)).build())
                .orElseGet(() -> notFound(uri, requestId));
    }

    private Response notFound(UriInfo uri, String requestId) {
        return problems.of(404, "not-found", "No such bot", "no bot of this name is yours",
                new Problems.Origin(uri.getRequestUri().getPath(), requestId));
    }
}
