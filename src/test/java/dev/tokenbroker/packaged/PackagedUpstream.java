package dev.tokenbroker.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tokenbroker.support.WireMockGafaelfawr;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * What the packaged jar needs when Quarkus launches it for a {@code @QuarkusIntegrationTest}: a
 * Gafaelfawr stand-in over real HTTP and the tests' PostgreSQL. The map is passed to the jar as
 * system properties, so nothing else configures it.
 */
public class PackagedUpstream implements QuarkusTestResourceLifecycleManager {

    static final String AUDITOR_TOKEN = "gt-packaged-auditor-key-1.packaged-auditor-secrt";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().globalTemplating(true));
        server.start();
        WireMockGafaelfawr.stubCaller(server);
        server.stubFor(get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + AUDITOR_TOKEN))
                .willReturn(WireMockGafaelfawr.json(200, "{\"token\":\"packaged-auditor-key-1\",\"username\":\"auditor\","
                        + "\"token_type\":\"user\",\"scopes\":[\"admin:token\"],\"created\":1700000000}")));
        // Readiness asks whether the admin token still holds admin:token.
        server.stubFor(get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + WireMockGafaelfawr.ADMIN_TOKEN))
                .willReturn(WireMockGafaelfawr.json(200, "{\"token\":\"wiremock-admin-key-001\",\"username\":\"bot-token-broker\","
                        + "\"token_type\":\"service\",\"scopes\":[\"admin:token\"],\"created\":1700000000}")));
        // A fresh key per mint, as Gafaelfawr gives: a realistic workload for the AOT training run.
        String key = "{{randomValue length=22 type='ALPHANUMERIC'}}";
        // (No Location header: one template cannot give the same random key twice, and it is optional.)
        server.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).willReturn(WireMockGafaelfawr.json(201,
                "{\"token\": \"gt-" + key + ".packaged-secret-value1\"}")));
        return Map.of(
                "broker.gafaelfawr.url", server.baseUrl(),
                "broker.gafaelfawr.admin-token", WireMockGafaelfawr.ADMIN_TOKEN,
                "broker.gafaelfawr.allow-insecure", "true",
                "quarkus.datasource.jdbc.url", System.getProperty("test.database.jdbc-url"),
                "quarkus.datasource.username", System.getProperty("test.database.username"));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
