package dev.tokenbroker.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gafaelfawr's routes under {@code /emulator/auth/api/v1}, faithful to
 * docs/gafaelfawr-contract.md. Built into dev mode and tests only: the
 * packaged (prod) jar does not contain this resource.
 */
@Path("/emulator/auth/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@IfBuildProfile(anyOf = {"dev", "test"})
@jakarta.annotation.security.PermitAll // it authenticates as Gafaelfawr does, not as the broker
public class EmulatorResource {

    private static final String ADMIN_SCOPE = "admin:token";
    private static final long MIN_LIFETIME_SECONDS = 5 * 60;

    @Inject
    EmulatorState state;

    @Inject
    ObjectMapper json;

    @Context
    HttpServerRequest request;

    @POST
    @Path("/tokens")
    @Consumes(MediaType.WILDCARD)
    public Response createToken(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, String body) {
        state.countCreateRequest();
        boolean isJson = contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_JSON);
        JsonNode parsed = null;
        if (isJson) {
            try {
                parsed = json.readTree(body == null ? "" : body);
            } catch (Exception e) {
                parsed = null;
            }
            if (parsed == null || parsed.isMissingNode()) {
                return UpstreamError.one(422, "json_invalid", "JSON decode error", List.of("body", 0));
            }
        }
        EmulatorAuth.Outcome auth = authenticate(authorization, ADMIN_SCOPE);
        if (auth.failed()) {
            return auth.failure();
        }
        if (!isJson) {
            return UpstreamError.one(422, "missing", "Field required", List.of("body"));
        }
        CreateTokenBody create = CreateTokenBody.read(parsed);
        if (!create.errors.isEmpty()) {
            return UpstreamError.validation(create.errors);
        }
        if (create.tokenType.equals("service") && !CreateTokenBody.BOT_USERNAME.matcher(create.username).matches()) {
            // 15.x: permission_denied with no loc at all, so a client can only match the message.
            return UpstreamError.one(403, "permission_denied",
                    "Username \"" + create.username + "\" must start with \"bot-\"", null);
        }
        if (create.scopes.stream().anyMatch(s -> !state.knows(s))) {
            // 15.x: the message names no scope.
            return UpstreamError.one(422, "invalid_scopes", "Unknown scopes requested", List.of("body", "scopes"));
        }
        if (create.expires != null && create.expires < state.now() + MIN_LIFETIME_SECONDS) {
            return UpstreamError.one(422, "invalid_expires", "Token must be valid for at least five minutes",
                    List.of("body", "expires"));
        }
        EmulatedToken token = state.create(create.username, create.tokenType, create.scopes, create.expires,
                create.tokenName, create.name, auth.token().username(), clientIp());
        return Response.status(201)
                .header("Location", "/auth/api/v1/users/" + token.username() + "/tokens/" + token.key())
                .entity(Map.of("token", token.value()))
                .build();
    }

    @GET
    @Path("/token-info")
    public Response tokenInfo(@HeaderParam("Authorization") String authorization) {
        EmulatorAuth.Outcome auth = authenticate(authorization, null);
        state.countTokenInfoRequest(auth.failed() ? null : auth.token().key());
        return auth.failed() ? auth.failure() : Response.ok(auth.token().info()).build();
    }

    @GET
    @Path("/user-info")
    public Response userInfo(@HeaderParam("Authorization") String authorization) {
        EmulatorAuth.Outcome auth = authenticate(authorization, null);
        if (auth.failed()) {
            return auth.failure();
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("username", auth.token().username());
        state.displayName(auth.token().username()).ifPresent(name -> info.put("name", name));
        // 11.0+ (15.x): groups always present, possibly empty (9.6.1 left it out when empty); each with a GID,
        // which the emulator numbers in order.
        List<String> names = state.groupsOf(auth.token().username());
        info.put("groups", java.util.stream.IntStream.range(0, names.size())
                .mapToObj(i -> Map.of("name", names.get(i), "id", 2000 + i)).toList());
        return Response.ok(info).build();
    }

    @GET
    @Path("/users/{username}/tokens")
    public Response listTokens(@HeaderParam("Authorization") String authorization,
            @PathParam("username") String username) {
        EmulatorAuth.Outcome auth = authenticateFor(authorization, username);
        if (auth.failed()) {
            return auth.failure();
        }
        // 9.6.1 and 15.x: expired tokens stay listed until maintenance purges them (see EmulatorState).
        return Response.ok(state.tokensOf(username).stream().map(EmulatedToken::info).toList()).build();
    }

    @GET
    @Path("/users/{username}/tokens/{key}")
    public Response getToken(@HeaderParam("Authorization") String authorization,
            @PathParam("username") String username, @PathParam("key") String key) {
        return withOwnedToken(authorization, username, key, (auth, token) -> Response.ok(token.info()).build());
    }

    @DELETE
    @Path("/users/{username}/tokens/{key}")
    public Response revokeToken(@HeaderParam("Authorization") String authorization,
            @PathParam("username") String username, @PathParam("key") String key) {
        return withOwnedToken(authorization, username, key, (auth, token) ->
                state.revoke(key, auth.token().username(), clientIp()) ? Response.noContent().build() : notFound());
    }

    /** Gafaelfawr's checks for a route on one token, in its order: authentication, key length, ownership. */
    private Response withOwnedToken(String authorization, String username, String key,
            java.util.function.BiFunction<EmulatorAuth.Outcome, EmulatedToken, Response> action) {
        EmulatorAuth.Outcome auth = authenticateFor(authorization, username);
        if (auth.failed()) {
            return auth.failure();
        }
        Optional<Response> invalid = invalidKey(key);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        return ownedToken(username, key).map(token -> action.apply(auth, token)).orElseGet(EmulatorResource::notFound);
    }

    @GET
    @Path("/history/token-changes")
    public Response history(@HeaderParam("Authorization") String authorization, @Context UriInfo uri) {
        EmulatorAuth.Outcome auth = authenticate(authorization, ADMIN_SCOPE);
        if (auth.failed()) {
            return auth.failure();
        }
        HistoryQuery query = HistoryQuery.read(uri.getQueryParameters());
        if (!query.errors.isEmpty()) {
            return UpstreamError.validation(query.errors);
        }
        List<HistoryEntry> entries = state.history().stream().filter(query::matches).toList();
        if (query.limit == null) {
            return Response.ok(entries.stream().map(HistoryEntry::json).toList()).build();
        }
        return HistoryPage.of(entries, query.cursor, query.limit).response(uri);
    }

    private EmulatorAuth.Outcome authenticate(String authorization, String scope) {
        return EmulatorAuth.authenticate(state, authorization, request.getHeader("Host"), scope);
    }

    /** Anyone may act on their own tokens; an admin:token holder on anyone's. */
    private EmulatorAuth.Outcome authenticateFor(String authorization, String username) {
        EmulatorAuth.Outcome auth = authenticate(authorization, null);
        if (auth.failed() || auth.token().scopes().contains(ADMIN_SCOPE) || auth.token().username().equals(username)) {
            return auth;
        }
        return new EmulatorAuth.Outcome(null, UpstreamError.one(403, "permission_denied",
                "Not authorized to act on tokens of " + username, null));
    }

    private Optional<EmulatedToken> ownedToken(String username, String key) {
        return state.find(key).filter(t -> t.username().equals(username));
    }

    private static Optional<Response> invalidKey(String key) {
        if (key.length() < 22) {
            return Optional.of(UpstreamError.one(422, "string_too_short", "String should have at least 22 characters",
                    List.of("path", "key")));
        }
        if (key.length() > 22) {
            return Optional.of(UpstreamError.one(422, "string_too_long", "String should have at most 22 characters",
                    List.of("path", "key")));
        }
        return Optional.empty();
    }

    private static Response notFound() {
        return UpstreamError.one(404, "not_found", "Token not found", List.of("path", "key"));
    }

    private String clientIp() {
        return request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress().hostAddress();
    }

    /** One page of history in newest-first order, with Gafaelfawr's Link and X-Total-Count headers. */
    record HistoryPage(List<HistoryEntry> page, int total, String next, String previous, int limit) {

        static HistoryPage of(List<HistoryEntry> entries, String cursor, int limit) {
            int begin = 0;
            int end;
            if (cursor == null) {
                end = Math.min(entries.size(), limit);
            } else {
                boolean backwards = cursor.startsWith("p");
                String[] parts = cursor.replaceFirst("^p", "").split("_");
                long time = Long.parseLong(parts[0]);
                long id = Long.parseLong(parts[1]);
                int position = 0;
                while (position < entries.size() && newerThan(entries.get(position), time, id)) {
                    position++;
                }
                if (backwards) {
                    begin = Math.max(0, position - limit);
                    end = position;
                } else {
                    begin = position;
                    end = Math.min(entries.size(), position + limit);
                }
            }
            String next = end < entries.size() ? entries.get(end).cursor() : null;
            String previous = begin > 0 ? "p" + entries.get(begin).cursor() : null;
            return new HistoryPage(entries.subList(begin, end), entries.size(), next, previous, limit);
        }

        private static boolean newerThan(HistoryEntry entry, long time, long id) {
            return entry.eventTime() > time || (entry.eventTime() == time && entry.id() > id);
        }

        Response response(UriInfo uri) {
            List<String> links = new ArrayList<>();
            links.add(link(uri, null, "first"));
            if (next != null) {
                links.add(link(uri, next, "next"));
            }
            if (previous != null) {
                links.add(link(uri, previous, "prev"));
            }
            return Response.ok(page.stream().map(HistoryEntry::json).toList())
                    .header("Link", String.join(", ", links))
                    .header("X-Total-Count", total)
                    .build();
        }

        private static String link(UriInfo uri, String cursor, String rel) {
            return "<" + uri.getRequestUriBuilder().replaceQueryParam("cursor", cursor == null ? new Object[0]
                    : new Object[] {cursor}).build() + ">; rel=\"" + rel + "\"";
        }
    }
}
