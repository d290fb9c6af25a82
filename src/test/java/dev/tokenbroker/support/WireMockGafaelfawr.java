package dev.tokenbroker.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A Gafaelfawr that misbehaves on demand, over real HTTP. The broker under test
 * points at it instead of the emulator. It listens on a fixed port so that a test
 * can stop it (Gafaelfawr down) and start it again.
 */
public class WireMockGafaelfawr implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "gt-wiremock-admin-key-001.wiremock-admin-secret1";
    public static final String CALLER_TOKEN = "gt-wiremock-caller-key-01.wiremock-caller-secret";
    public static final String CALLER_KEY = "wiremock-caller-key-01";
    public static final String MINTED_KEY = "minted-token-key-00001";
    public static final String MINTED_TOKEN = "gt-" + MINTED_KEY + ".minted-token-secret-01";
    public static final String READ_TIMEOUT = "1s";
    public static final String ADMIN_USERNAME = "bot-service-token-broker";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().port(freePort()));
        server.start();
        return Map.of(
                "broker.gafaelfawr.url", server.baseUrl(),
                "broker.gafaelfawr.admin-token", ADMIN_TOKEN,
                "broker.gafaelfawr.read-timeout", READ_TIMEOUT);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Forgets every stub and request, then answers token-info for the caller again. */
    public static void resetToCaller(WireMockServer server) {
        server.resetAll();
        stubCaller(server);
    }

    /** A JSON answer, as Gafaelfawr gives them. */
    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** POST /tokens minting {@link #MINTED_TOKEN}. */
    public static ResponseDefinitionBuilder minted() {
        return json(201, "{\"token\": \"" + MINTED_TOKEN + "\"}");
    }

    /** token-info for {@link #CALLER_TOKEN}: alice, a person holding write:sasquatch. */
    public static void stubCaller(WireMockServer server) {
        // Every caller is in no group unless a test says otherwise.
        server.stubFor(get(urlEqualTo("/auth/api/v1/user-info")).atPriority(10)
                .willReturn(json(200, "{\"username\":\"someone\",\"groups\":[]}")));
        // and every bot is new to Gafaelfawr (no token, never had one): a first mint may claim it.
        server.stubFor(get(urlPathMatching("/auth/api/v1/users/[^/]+/tokens")).atPriority(10)
                .willReturn(json(200, "[]")));
        server.stubFor(get(urlPathMatching("/auth/api/v1/history/token-changes")).atPriority(10)
                .willReturn(json(200, "[]")));
        // The admin token is the broker's own bot, as a GafaelfawrServiceToken makes it.
        server.stubFor(get(urlEqualTo("/auth/api/v1/token-info")).atPriority(10)
                .withHeader("Authorization", equalToIgnoreCase("bearer " + ADMIN_TOKEN))
                .willReturn(json(200, "{\"token\":\"wiremock-admin-key-001\",\"username\":\"" + ADMIN_USERNAME
                        + "\",\"token_type\":\"service\",\"scopes\":[\"admin:token\"],\"created\":1700000000}")));
        server.stubFor(get(urlEqualTo("/auth/api/v1/token-info"))
                .withHeader("Authorization", equalToIgnoreCase("bearer " + CALLER_TOKEN))
                .willReturn(json(200, "{\"token\":\"" + CALLER_KEY + "\",\"username\":\"alice\",\"token_type\":\"user\","
                        + "\"scopes\":[\"write:sasquatch\"],\"created\":1700000000}")));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
