package dev.tokenbroker.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The broker's HTTP API as a whole: its OpenAPI description and security scheme. */
@ApplicationPath("/")
@OpenAPIDefinition(
        info = @Info(title = "Service-token broker", version = "0.1.0",
                description = "Mints Gafaelfawr service tokens for bot users (bot-...) on behalf of authenticated"
                        + " callers, under the broker's naming, scope and lifetime policy. Every error is"
                        + " application/problem+json (RFC 9457)."),
        components = @Components(securitySchemes = {
            @SecurityScheme(
                securitySchemeName = BrokerApi.SECURITY_SCHEME,
                type = SecuritySchemeType.HTTP,
                scheme = "bearer",
                description = "A Gafaelfawr token of the environment (gt-<key>.<secret>), verified with"
                        + " Gafaelfawr's token-info. In dev mode use the demo caller token from the README."),
            @SecurityScheme(
                securitySchemeName = BrokerApi.JOB_TOKEN_SCHEME,
                type = SecuritySchemeType.HTTP,
                scheme = "bearer",
                bearerFormat = "JWT",
                description = "A CI job's OIDC identity token from a trusted issuer (GitHub Actions, Jenkins),"
                        + " for POST /federated-tokens only. In dev mode the emulator's demo issuer signs one.")}))
public class BrokerApi extends Application {

    public static final String SECURITY_SCHEME = "gafaelfawr";
    public static final String JOB_TOKEN_SCHEME = "job-token";
}
