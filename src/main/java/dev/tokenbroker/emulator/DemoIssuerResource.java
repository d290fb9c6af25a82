package dev.tokenbroker.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo issuer's routes under {@code /emulator/oidc}: discovery, keys, and a route that signs a
 * job token, standing in for what GitHub Actions gives a job with {@code id-token: write}.
 */
@Path("/emulator/oidc")
@IfBuildProfile(anyOf = {"dev", "test"})
@jakarta.annotation.security.PermitAll // a public issuer's documents; the demo token route is dev mode's
public class DemoIssuerResource {

    @Inject
    DemoIssuer issuer;

    @Inject
    ObjectMapper json;

    @GET
    @Path("/.well-known/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> discovery() {
        return Map.of("issuer", issuer.issuer(), "jwks_uri", issuer.issuer() + "/jwks",
                "id_token_signing_alg_values_supported", java.util.List.of("RS256"),
                "subject_types_supported", java.util.List.of("public"),
                "response_types_supported", java.util.List.of("id_token"));
    }

    @GET
    @Path("/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public String jwks() {
        return issuer.jwks();
    }

    /**
     * A demo job token: {@code {"sub": "...", "claims": {...}}}; the claims default to GitHub's for a
     * push to main of lsst-sqre/demo, and the token lives five minutes.
     */
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(JsonNode body) {
        String subject = body != null && body.path("sub").isTextual() ? body.path("sub").asText()
                : "repo:lsst-sqre/demo:ref:refs/heads/main";
        Map<String, Object> claims = new LinkedHashMap<>(Map.of("repository", "lsst-sqre/demo",
                "repository_owner", "lsst-sqre", "ref", "refs/heads/main",
                "workflow_ref", "lsst-sqre/demo/.github/workflows/metrics.yaml@refs/heads/main"));
        if (body != null && body.path("claims").isObject()) {
            claims.putAll(json.convertValue(body.path("claims"), Map.class));
        }
        return Response.ok(Map.of("value", issuer.sign(subject, claims, Duration.ofMinutes(5)))).build();
    }
}
