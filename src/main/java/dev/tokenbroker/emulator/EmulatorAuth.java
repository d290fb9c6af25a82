package dev.tokenbroker.emulator;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Gafaelfawr's authentication, in the order it checks (contract: "Authentication on every route"). */
final class EmulatorAuth {

    /** The token, or the answer Gafaelfawr would give instead. */
    record Outcome(EmulatedToken token, Response failure) {
        boolean failed() {
            return failure != null;
        }
    }

    private EmulatorAuth() {
    }

    static Outcome authenticate(EmulatorState state, String header, String host, String requiredScope) {
        String realm = host == null ? "localhost" : host;
        if (header == null || header.isBlank()) {
            return fail(Response.status(401)
                    .header("WWW-Authenticate", "Bearer realm=\"" + realm + "\"")
                    .entity(Map.of("detail", Map.of("msg", "Authentication required", "type", "no_authorization"))));
        }
        Optional<String> presented = credential(header.strip());
        if (presented.isEmpty()) {
            return fail(Response.status(403)
                    .header("X-Error-Status", "400")
                    .entity(Map.of("detail", List.of(UpstreamError.item("invalid_request",
                            "Malformed Authorization header", null)))));
        }
        String token = presented.get();
        if (!token.startsWith("gt-")) {
            return invalidToken(realm, "Token does not start with gt-");
        }
        String[] parts = token.substring(3).split("\\.", -1);
        if (parts.length != 2 || parts[0].length() != 22 || parts[1].length() != 22) {
            return invalidToken(realm, "Token is malformed");
        }
        Optional<EmulatedToken> found = state.valid(parts[0], parts[1]);
        if (found.isEmpty()) {
            return invalidToken(realm, "Token is not valid");
        }
        if (requiredScope != null && !found.get().scopes().contains(requiredScope)) {
            return fail(Response.status(403).entity(Map.of("detail", List.of(UpstreamError.item("permission_denied",
                    "Token does not have required scope " + requiredScope, null)))));
        }
        return new Outcome(found.get(), null);
    }

    /** Bearer (any case), or HTTP Basic with the token as user or password. */
    private static Optional<String> credential(String header) {
        String[] parts = header.split("\\s+");
        if (parts.length != 2) {
            return Optional.empty();
        }
        String scheme = parts[0].toLowerCase();
        if (scheme.equals("bearer")) {
            return Optional.of(parts[1]);
        }
        if (scheme.equals("basic")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    return Optional.empty();
                }
                String user = decoded.substring(0, colon);
                return Optional.of(user.startsWith("gt-") ? user : decoded.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Outcome invalidToken(String realm, String message) {
        return fail(Response.status(401)
                .header("WWW-Authenticate", "Bearer realm=\"" + realm + "\", error=\"invalid_token\", error_description=\""
                        + message + "\"")
                .entity(Map.of("detail", List.of(UpstreamError.item("invalid_token", message, null)))));
    }

    private static Outcome fail(Response.ResponseBuilder response) {
        return new Outcome(null, response.type(MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-cache, no-store").build());
    }
}
