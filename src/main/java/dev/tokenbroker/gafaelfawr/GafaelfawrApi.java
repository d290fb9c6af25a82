package dev.tokenbroker.gafaelfawr;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Gafaelfawr's routes, as docs/gafaelfawr-contract.md describes them. Every
 * method answers the raw response so that {@link GafaelfawrClient} maps every
 * status, including the unexpected ones, itself.
 */
@Path("/auth/api/v1")
public interface GafaelfawrApi {

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response createToken(@HeaderParam("Authorization") String authorization, Wire.CreateToken body);

    @GET
    @Path("/token-info")
    @Produces(MediaType.APPLICATION_JSON)
    Response tokenInfo(@HeaderParam("Authorization") String authorization);

    @GET
    @Path("/user-info")
    @Produces(MediaType.APPLICATION_JSON)
    Response userInfo(@HeaderParam("Authorization") String authorization);

    @GET
    @Path("/users/{username}/tokens")
    @Produces(MediaType.APPLICATION_JSON)
    Response listTokens(@HeaderParam("Authorization") String authorization, @PathParam("username") String username);

    @GET
    @Path("/history/token-changes")
    @Produces(MediaType.APPLICATION_JSON)
    Response tokenChanges(@HeaderParam("Authorization") String authorization,
            @jakarta.ws.rs.QueryParam("username") String username, @jakarta.ws.rs.QueryParam("since") long since,
            @jakarta.ws.rs.QueryParam("until") long until);

    /** The newest {@code limit} history entries of one user, whenever they happened. */
    @GET
    @Path("/history/token-changes")
    @Produces(MediaType.APPLICATION_JSON)
    Response latestTokenChanges(@HeaderParam("Authorization") String authorization,
            @jakarta.ws.rs.QueryParam("username") String username, @jakarta.ws.rs.QueryParam("limit") int limit);

    @DELETE
    @Path("/users/{username}/tokens/{key}")
    Response revokeToken(@HeaderParam("Authorization") String authorization, @PathParam("username") String username,
            @PathParam("key") String key);
}
