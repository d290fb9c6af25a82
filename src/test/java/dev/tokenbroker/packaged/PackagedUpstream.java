package dev.tokenbroker.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

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

    /** The launched jar's management interface (health, metrics): a free port, chosen once per run. */
    static final int MANAGEMENT_PORT = PackagedBroker.freePort();

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = StandInGafaelfawr.started();
        return Map.of(
                "broker.gafaelfawr.url", server.baseUrl(),
                "broker.gafaelfawr.admin-token", WireMockGafaelfawr.ADMIN_TOKEN,
                "broker.gafaelfawr.allow-insecure", "true",
                "quarkus.datasource.jdbc.url", ownDatabase(),
                "quarkus.datasource.username", System.getProperty("test.database.username"),
                "quarkus.management.port", Integer.toString(MANAGEMENT_PORT),
                // 400 mints for one bot by one caller: the workload, not the quotas, is under test here.
                "broker.quota.issuances-per-caller-per-hour", "100000",
                "broker.quota.active-tokens-per-bot", "100000");
    }

    /**
     * Quarkus keeps this jar running until the whole integration-test run ends, so it gets a
     * database of its own: its sealer and scheduled revocations must not act on the records
     * of the replicas the other packaged-jar tests start.
     */
    private static String ownDatabase() {
        String shared = System.getProperty("test.database.jdbc-url");
        String name = "served_workload";
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(shared,
                System.getProperty("test.database.username"), "");
                java.sql.Statement sql = db.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + name);
            sql.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create the database " + name, e);
        }
        return shared.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    /** alice (a person), the auditor (admin:token), the admin token, and minting with a fresh key each time. */
    static void stub(WireMockServer server) {
        WireMockGafaelfawr.stubCaller(server);
        server.stubFor(get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + AUDITOR_TOKEN))
                .willReturn(WireMockGafaelfawr.json(200, "{\"token\":\"packaged-auditor-key-1\",\"username\":\"auditor\","
                        + "\"token_type\":\"user\",\"scopes\":[\"admin:token\"],\"created\":1700000000}")));
        // Readiness asks whether the admin token still holds admin:token.
        server.stubFor(get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + WireMockGafaelfawr.ADMIN_TOKEN))
                .willReturn(WireMockGafaelfawr.json(200, "{\"token\":\"wiremock-admin-key-001\",\"username\":\"bot-service-token-broker\","
                        + "\"token_type\":\"service\",\"scopes\":[\"admin:token\"],\"created\":1700000000}")));
        // A fresh key per mint, as Gafaelfawr gives: a realistic workload for the AOT training run.
        String key = "{{randomValue length=22 type='ALPHANUMERIC'}}";
        // (No Location header: one template cannot give the same random key twice, and it is optional.)
        server.stubFor(post(urlEqualTo("/auth/api/v1/tokens")).willReturn(WireMockGafaelfawr.json(201,
                "{\"token\": \"gt-" + key + ".packaged-secret-value1\"}")));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
