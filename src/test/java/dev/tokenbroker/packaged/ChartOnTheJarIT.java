package dev.tokenbroker.packaged;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.k8s.Chart;
import dev.tokenbroker.k8s.Manifests;
import dev.tokenbroker.support.WireMockGafaelfawr;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart and the packaged jar agree: the jar starts on each environment's rendered settings
 * alone, its probes answer where the chart points them, every path of the OpenAPI document it
 * serves is forwarded by a rendered ingress with the right delegation (derived from the served
 * document, so a new route cannot be forgotten), and it holds no emulator class.
 */
class ChartOnTheJarIT {

    @RegisterExtension
    static final StandInGafaelfawr gafaelfawr = new StandInGafaelfawr();

    static List<String> environments() {
        return Chart.environments();
    }

    @Test
    void theJarHoldsNoEmulatorClass() throws IOException {
        Path app = Path.of("target/quarkus-app");
        List<Path> jars = new ArrayList<>();
        try (var files = Files.walk(app)) {
            files.filter(f -> f.toString().endsWith(".jar")).forEach(jars::add);
        }
        List<String> found = new ArrayList<>();
        int ours = 0;
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements();) {
                    String name = entries.nextElement().getName();
                    ours += name.startsWith("dev/tokenbroker/") && name.endsWith(".class") ? 1 : 0;
                    if (name.endsWith(".class") && name.toLowerCase(java.util.Locale.ROOT).contains("emulator")) {
                        found.add(jar.getFileName() + "!" + name);
                    }
                }
            }
        }
        assertTrue(ours > 50, "the broker's own classes were found in " + jars);
        assertEquals(List.of(), found, "emulator classes in the packaged jar");
    }

    @ParameterizedTest
    @MethodSource("environments")
    void theJarRunsOnTheRenderedSettingsAndEveryServedPathIsRouted(String environment, @TempDir Path secrets)
            throws Exception {
        List<JsonNode> objects = Chart.render(environment);
        Deployment deployment = Manifests.ofKind(objects, "Deployment", Deployment.class).get(0);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new HashMap<>(Manifests.ofKind(objects, "ConfigMap", ConfigMap.class).get(0).getData());
        // What only the cluster has: Gafaelfawr, the database and the mounted admin token.
        Path adminToken = secrets.resolve("token");
        Files.writeString(adminToken, WireMockGafaelfawr.ADMIN_TOKEN);
        env.putAll(Map.of(
                "BROKER_GAFAELFAWR_URL", gafaelfawr.baseUrl(),
                "BROKER_GAFAELFAWR_ALLOW_INSECURE", "true",
                "BROKER_GAFAELFAWR_ADMIN_TOKEN_FILE", adminToken.toString(),
                "QUARKUS_DATASOURCE_JDBC_URL", System.getProperty("test.database.jdbc-url"),
                "QUARKUS_DATASOURCE_USERNAME", System.getProperty("test.database.username")));
        try (PackagedBroker broker = PackagedBroker.start(env).awaitListening()) {
            for (Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
                String path = probe.getHttpGet().getPath();
                assertNotEquals(404, given().get(broker.managementUrl(path)).statusCode(), path + " answers on management");
                assertEquals(404, given().get("http://localhost:" + broker.port + path).statusCode(), path + " is not on the API port");
            }
            given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN).contentType("application/json")
                    .body("{\"username\": \"bot-chart-" + environment + "\"}")
                    .when().post(broker.url("/service-tokens")).then().statusCode(201);

            for (String name : Manifests.ofKind(objects, "ConfigMap", ConfigMap.class).get(0).getData().keySet()) {
                java.util.regex.Matcher issuerName = java.util.regex.Pattern.compile("BROKER_FEDERATION_ISSUERS_([A-Z0-9]+)_URL")
                        .matcher(name);
                if (issuerName.matches()) {
                    // The issuer the chart configured is one the jar trusts: a policy may name it.
                    given().header("Authorization", "bearer " + WireMockGafaelfawr.CALLER_TOKEN).contentType("application/json")
                            .body("{\"issuer\": \"" + issuerName.group(1).toLowerCase(java.util.Locale.ROOT)
                                    + "\", \"subject\": \"repo:x/y:ref:refs/heads/main\", \"scopes\": [\"write:sasquatch\"]}")
                            .when().put(broker.url("/bots/bot-chart-" + environment + "/trust-policies/ci"))
                            .then().statusCode(200);
                }
            }
            JsonNode document = new ObjectMapper().readTree(given().get(broker.url("/q/openapi?format=json")).asString());
            Map<String, String> settings = Manifests.ofKind(objects, "ConfigMap", ConfigMap.class).get(0).getData();
            List<String> served = new ArrayList<>();
            document.path("paths").fieldNames().forEachRemaining(served::add);
            assertTrue(served.size() >= 8, served.toString());
            for (String path : served) {
                Manifests.GafaelfawrIngress ingress = routing(objects, path)
                        .orElseThrow(() -> new AssertionError(path + " is served but no ingress forwards it"));
                if (takesJobTokens(document.path("paths").path(path))) {
                    // A CI job's OIDC token is not a Gafaelfawr token: Gafaelfawr must let it through untouched.
                    assertEquals(Boolean.TRUE, ingress.config().scopes().anonymous(), path + " is anonymous at the ingress");
                    assertEquals(null, ingress.config().delegate(), path + " delegates nothing");
                    continue;
                }
                assertEquals(Chart.APP, ingress.metadata().getName(), path + " is an API path");
                assertEquals(Boolean.FALSE, ingress.config().allowCookies(), path);
                assertEquals(Boolean.TRUE, ingress.config().delegate().useAuthorization(), path);
                assertEquals(settings.get("BROKER_POLICY_DELEGATED_SERVICE"), ingress.config().delegate().internal().service(),
                        path + ": the broker accepts only tokens delegated to it");
                document.path("paths").path(path).forEach(operation -> assertFalse(operation.path("security").isEmpty(),
                        path + " asks for a token, and the ingress delegates one"));
            }
            for (String page : List.of("/q/swagger-ui/", "/q/openapi")) {
                assertEquals(200, given().get(broker.url(page)).statusCode());
                Manifests.GafaelfawrIngress ingress = routing(objects, PackagedBroker.ROOT_PATH + page).orElseThrow();
                assertEquals(Boolean.TRUE, ingress.config().loginRedirect(), page + " sends browsers to log in");
            }
            for (HTTPIngressPath routed : paths(objects)) {
                assertTrue(served.stream().anyMatch(p -> matches(routed.getPath(), p))
                        || routed.getPath().contains("/q/"), routed.getPath() + " is routed but nothing is served there");
                assertNotNull(routed.getBackend().getService());
            }
        }
    }

    /** Whether every operation of a path asks for a CI job's token (the exchange) rather than a Gafaelfawr token. */
    private static boolean takesJobTokens(JsonNode operations) {
        List<String> schemes = new ArrayList<>();
        operations.forEach(operation -> operation.path("security")
                .forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add)));
        return !schemes.isEmpty() && schemes.stream().allMatch("job-token"::equals);
    }

    /** The ingress whose Prefix path matches {@code path} element by element, longest first, as NGINX chooses. */
    private static Optional<Manifests.GafaelfawrIngress> routing(List<JsonNode> objects, String path) {
        Manifests.GafaelfawrIngress best = null;
        int bestLength = -1;
        for (Manifests.GafaelfawrIngress ingress : Manifests.ofKind(objects, "GafaelfawrIngress", Manifests.GafaelfawrIngress.class)) {
            for (var rule : ingress.template().spec().getRules()) {
                for (HTTPIngressPath candidate : rule.getHttp().getPaths()) {
                    assertEquals("Prefix", candidate.getPathType());
                    if (matches(candidate.getPath(), path) && candidate.getPath().length() > bestLength) {
                        best = ingress;
                        bestLength = candidate.getPath().length();
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean matches(String prefix, String path) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return path.equals(trimmed) || path.startsWith(trimmed + "/");
    }

    private static List<HTTPIngressPath> paths(List<JsonNode> objects) {
        List<HTTPIngressPath> all = new ArrayList<>();
        Manifests.ofKind(objects, "GafaelfawrIngress", Manifests.GafaelfawrIngress.class)
                .forEach(i -> i.template().spec().getRules().forEach(r -> all.addAll(r.getHttp().getPaths())));
        return all;
    }
}
