package dev.tokenbroker.k8s;

import static dev.tokenbroker.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.config.BrokerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests, parsed into typed objects, agree with the
 * application: probes answer, ports match, every variable is a real setting,
 * and the pod runs locked down. These read the source files, so they run
 * anywhere; {@link RenderedManifestTest} checks what {@code kubectl kustomize}
 * makes of them.
 */
@QuarkusTest
class ManifestTest {

    @jakarta.inject.Inject
    BrokerConfig config;

    static final String APP = "service-token-broker";

    final Manifests.Kustomization base = Manifests.read(Manifests.BASE.resolve("kustomization.yaml"),
            Manifests.Kustomization.class);
    final Deployment deployment = Manifests.read(Manifests.BASE.resolve("deployment.yaml"), Deployment.class);
    final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    final Container broker = pod.getContainers().get(0);

    /** A setting of the packaged jar (prod profile), as application.properties gives it. */
    static String prodSetting(String key, String quarkusDefault) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty("%prod." + key, properties.getProperty(key, quarkusDefault));
    }

    static String prodRootPath() throws IOException {
        return prodSetting("quarkus.http.root-path", "/");
    }

    @Test
    void everyFileIsAResourceOfTheKustomizationAndParses() throws IOException {
        try (Stream<Path> files = Files.list(Manifests.BASE)) {
            Set<String> present = files.map(f -> f.getFileName().toString())
                    .filter(name -> !name.equals("kustomization.yaml")).collect(Collectors.toSet());
            assertEquals(present, Set.copyOf(base.resources()), "every manifest is listed, and every listed one exists");
        }
        for (String resource : base.resources()) {
            JsonNode node = Manifests.tree(Manifests.BASE.resolve(resource));
            assertFalse(node.path("kind").asText().isEmpty(), resource + " has a kind");
        }
        Manifests.read(Manifests.BASE.resolve("service.yaml"), Service.class);
        Manifests.read(Manifests.BASE.resolve("network-policy.yaml"), NetworkPolicy.class);
        Manifests.read(Manifests.BASE.resolve("pod-disruption-budget.yaml"), PodDisruptionBudget.class);
        Manifests.read(Manifests.BASE.resolve("vault-secret.yaml"), Manifests.VaultSecret.class);
        assertTrue(deployment.getAdditionalProperties().isEmpty() && broker.getAdditionalProperties().isEmpty()
                && broker.getSecurityContext().getAdditionalProperties().isEmpty()
                && pod.getAdditionalProperties().isEmpty(), "no field of the Deployment is unknown to the model");
    }

    @Test
    void probesAskTheManagementInterfaceWithTimeouts() {
        for (Probe probe : List.of(broker.getReadinessProbe(), broker.getLivenessProbe(), broker.getStartupProbe())) {
            HTTPGetAction get = probe.getHttpGet();
            assertEquals("management", get.getPort().getStrVal());
            assertTrue(get.getPath().startsWith("/q/health/"), get.getPath() + ": the management interface has no root path");
            assertNotNull(probe.getTimeoutSeconds(), get.getPath() + " says how long it waits");
            assertTrue(probe.getTimeoutSeconds() < probe.getPeriodSeconds(), get.getPath() + " ends before the next one");
            int status = management().when().get(get.getPath()).then().extract().statusCode();
            assertNotEquals(404, status, get.getPath() + " must exist");
            // and not on the public port, where an ingress could route it
            assertEquals(404, given().when().get(get.getPath()).then().extract().statusCode(), get.getPath());
        }
        assertTrue(broker.getReadinessProbe().getHttpGet().getPath().endsWith("/ready"));
        assertTrue(broker.getLivenessProbe().getHttpGet().getPath().endsWith("/live"));
        assertTrue(broker.getStartupProbe().getHttpGet().getPath().endsWith("/started"));
    }

    @Test
    void theContainerPortsAreTheHttpAndManagementPorts() throws IOException {
        Map<String, Integer> ports = broker.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        assertEquals(Map.of("http", Integer.parseInt(prodSetting("quarkus.http.port", "8080")),
                "management", Integer.parseInt(prodSetting("quarkus.management.port", "9000"))), ports);
        assertEquals("true", prodSetting("quarkus.management.enabled", "false"));
        Service service = Manifests.read(Manifests.BASE.resolve("service.yaml"), Service.class);
        assertEquals(1, service.getSpec().getPorts().size(), "the Service exposes the API only");
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(deployment.getSpec().getTemplate().getMetadata().getLabels(), service.getSpec().getSelector());
        Map<String, String> scrape = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals(ports.get("management").toString(), scrape.get("prometheus.io/port"));
        assertEquals(200, management().when().get(scrape.get("prometheus.io/path")).then().extract().statusCode());
    }

    @Test
    void everyEnvironmentVariableIsARealSetting() throws IOException {
        Set<String> known = knownEnvironmentNames();
        List<String> variables = new ArrayList<>();
        broker.getEnv().stream().map(EnvVar::getName).forEach(variables::add);
        base.configMapGenerator().get(0).literals().forEach(l -> variables.add(l.substring(0, l.indexOf('='))));
        Manifests.Kustomization overlay = Manifests.read(
                Manifests.K8S.resolve("overlays/example/kustomization.yaml"), Manifests.Kustomization.class);
        overlay.configMapGenerator().get(0).literals().forEach(l -> variables.add(l.substring(0, l.indexOf('='))));
        assertTrue(variables.size() > 10);
        for (String variable : variables) {
            assertTrue(known.contains(variable), variable + " is not a configuration key of the broker or Quarkus");
        }
        Set<String> all = new HashSet<>(variables);
        for (String required : List.of("BROKER_GAFAELFAWR_URL", "BROKER_GAFAELFAWR_ADMIN_TOKEN_FILE",
                "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
            assertTrue(all.contains(required), required + " is set by the base or the overlay");
        }
        assertEquals(base.configMapGenerator().get(0).name(),
                broker.getEnvFrom().get(0).getConfigMapRef().getName(), "the Deployment reads the generated ConfigMap");
    }

    @Test
    void thePodRunsLockedDown() {
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        SecurityContext container = broker.getSecurityContext();
        assertEquals(Boolean.TRUE, container.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, container.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getCapabilities().getDrop());
        VolumeMount tmp = broker.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow();
        Volume tmpVolume = volume(tmp.getName());
        assertEquals("Memory", tmpVolume.getEmptyDir().getMedium());
        assertNotNull(broker.getResources().getRequests().get("memory"));
        assertNotNull(broker.getResources().getLimits().get("memory"));
        assertNotNull(broker.getResources().getLimits().get("cpu"));
        assertNotNull(broker.getLifecycle().getPreStop().getExec(), "a preStop pause");
        assertTrue(pod.getTerminationGracePeriodSeconds() > 25, "longer than preStop + quarkus.shutdown.timeout");
        PodDisruptionBudget budget = Manifests.read(Manifests.BASE.resolve("pod-disruption-budget.yaml"),
                PodDisruptionBudget.class);
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), budget.getSpec().getSelector().getMatchLabels());
        assertEquals(1, budget.getSpec().getMinAvailable().getIntVal());
    }

    @Test
    void theAdminTokenComesFromAGafaelfawrServiceToken() {
        Manifests.GafaelfawrServiceToken token = Manifests.read(Manifests.BASE.resolve("gafaelfawr-service-token.yaml"),
                Manifests.GafaelfawrServiceToken.class);
        assertEquals("gafaelfawr.lsst.io/v1alpha1", token.apiVersion());
        // Phalanx's naming: <app>-gafaelfawr-token, for bot-<app>
        assertEquals(APP + "-gafaelfawr-token", token.metadata().getName());
        assertEquals("bot-" + APP, token.spec().service());
        assertEquals(List.of("admin:token"), token.spec().scopes());
        VolumeMount mount = broker.getVolumeMounts().stream()
                .filter(m -> token.metadata().getName().equals(volume(m.getName()).getSecret() == null ? null
                        : volume(m.getName()).getSecret().getSecretName()))
                .findFirst().orElseThrow(() -> new AssertionError("the token's Secret is mounted"));
        assertTrue(mount.getReadOnly());
        assertTrue(base.configMapGenerator().get(0).literals()
                .contains("BROKER_GAFAELFAWR_ADMIN_TOKEN_FILE=" + mount.getMountPath() + "/token"));
    }

    @Test
    void theIngressesRouteTheApiAndSwaggerUiOnly() throws IOException {
        String root = prodRootPath();
        Service service = Manifests.read(Manifests.BASE.resolve("service.yaml"), Service.class);
        Manifests.GafaelfawrIngress api = Manifests.read(Manifests.BASE.resolve("ingress-api.yaml"),
                Manifests.GafaelfawrIngress.class);
        assertEquals(Boolean.FALSE, api.config().allowCookies());
        assertEquals(Boolean.TRUE, api.config().delegate().useAuthorization());
        // The broker accepts only internal tokens delegated to this name (broker.policy.delegated-service).
        assertEquals(config.policy().delegatedService(), api.config().delegate().internal().service());
        assertNull(api.config().baseUrl(), "config.baseUrl is obsolete: Gafaelfawr knows its own URL");
        Manifests.GafaelfawrIngress swagger = Manifests.read(Manifests.BASE.resolve("ingress-swagger-ui.yaml"),
                Manifests.GafaelfawrIngress.class);
        assertEquals(Boolean.TRUE, swagger.config().loginRedirect());
        assertNull(swagger.config().baseUrl());

        List<HTTPIngressPath> paths = new ArrayList<>();
        for (Manifests.GafaelfawrIngress ingress : List.of(api, swagger)) {
            ingress.template().spec().getRules().forEach(rule -> paths.addAll(rule.getHttp().getPaths()));
        }
        for (HTTPIngressPath path : paths) {
            assertEquals(service.getMetadata().getName(), path.getBackend().getService().getName());
            assertEquals(service.getSpec().getPorts().get(0).getPort(), path.getBackend().getService().getPort().getNumber());
            assertTrue(path.getPath().startsWith(root + "/"), path.getPath());
            assertFalse(path.getPath().contains("/q/health") || path.getPath().contains("/q/metrics"),
                    "health and metrics stay inside the cluster");
        }
        // Each routed path leads somewhere real in the application.
        assertNotEquals(404, given().when().get("/q/swagger-ui/").then().extract().statusCode());
        for (String route : List.of("/service-tokens", "/audit/events")) {
            assertTrue(paths.stream().anyMatch(p -> (root + route).startsWith(p.getPath())), route + " is routed");
            assertNotEquals(404, given().when().get(route).then().extract().statusCode(), route);
        }
    }

    @Test
    void onlyGafaelfawrIngressesReachTheApiAndPrometheusTheManagementPort() {
        NetworkPolicy policy = Manifests.read(Manifests.BASE.resolve("network-policy.yaml"), NetworkPolicy.class);
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        assertEquals(2, policy.getSpec().getIngress().size());
        var api = policy.getSpec().getIngress().get(0);
        assertEquals(List.of(port("http")), api.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());
        // any namespace ({}), but only pods that carry Gafaelfawr's ingress label
        var namespaces = api.getFrom().get(0).getNamespaceSelector();
        assertTrue(namespaces.getMatchLabels() == null || namespaces.getMatchLabels().isEmpty());
        assertTrue(namespaces.getMatchExpressions() == null || namespaces.getMatchExpressions().isEmpty());
        assertEquals(Map.of("gafaelfawr.lsst.io/ingress", "true"), api.getFrom().get(0).getPodSelector().getMatchLabels());
        var scrape = policy.getSpec().getIngress().get(1);
        assertEquals(List.of(port("management")),
                scrape.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());
        assertEquals("prometheus", scrape.getFrom().get(0).getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
    }

    @Test
    void theDatabasePasswordComesFromVault() {
        Manifests.VaultSecret secret = Manifests.read(Manifests.BASE.resolve("vault-secret.yaml"),
                Manifests.VaultSecret.class);
        assertEquals("ricoberger.de/v1alpha1", secret.apiVersion());
        EnvVar password = broker.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD"))
                .findFirst().orElseThrow();
        assertEquals(secret.metadata().getName(), password.getValueFrom().getSecretKeyRef().getName());
        assertEquals("database-password", password.getValueFrom().getSecretKeyRef().getKey());
        assertTrue(secret.spec().path().endsWith("/" + APP), secret.spec().path());
    }

    private int port(String name) {
        return broker.getPorts().stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow()
                .getContainerPort();
    }

    @Test
    void theExampleOverlayPatchesFieldsThatExist() throws IOException {
        Path overlayDir = Manifests.K8S.resolve("overlays/example");
        Manifests.Kustomization overlay = Manifests.read(overlayDir.resolve("kustomization.yaml"),
                Manifests.Kustomization.class);
        assertEquals(List.of("../../base"), overlay.resources());
        assertEquals("merge", overlay.configMapGenerator().get(0).behavior());
        assertEquals(base.configMapGenerator().get(0).name(), overlay.configMapGenerator().get(0).name());
        assertEquals(broker.getImage(), overlay.images().get(0).name(), "the image name the overlay replaces");
        for (Manifests.Patch patch : overlay.patches()) {
            List<Manifests.JsonPatchOp> ops = Manifests.YAML.readValue(patch.patch(),
                    new TypeReference<List<Manifests.JsonPatchOp>>() { });
            for (String resource : base.resources()) {
                JsonNode manifest = Manifests.tree(Manifests.BASE.resolve(resource));
                if (!manifest.path("kind").asText().equals(patch.target().get("kind"))) {
                    continue;
                }
                for (Manifests.JsonPatchOp op : ops) {
                    assertEquals("replace", op.op());
                    assertFalse(manifest.at(op.path()).isMissingNode(), op.path() + " exists in " + resource);
                    assertTrue(String.valueOf(op.value()).contains("lsst.cloud"), "the overlay sets the environment");
                }
            }
        }
    }

    private Volume volume(String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** Environment-variable forms of every broker key and every key of Quarkus's own configuration model. */
    static Set<String> knownEnvironmentNames() throws IOException {
        Set<String> properties = new HashSet<>();
        collectMappingKeys(BrokerConfig.class.getAnnotation(ConfigMapping.class).prefix(), BrokerConfig.class, properties);
        ObjectMapper json = new ObjectMapper();
        Enumeration<URL> models = ManifestTest.class.getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        while (models.hasMoreElements()) {
            try (InputStream in = models.nextElement().openStream()) {
                json.readTree(in).findValues("path").forEach(path -> {
                    if (path.has("property")) {
                        properties.add(path.get("property").asText());
                    }
                });
            }
        }
        assertTrue(properties.contains("quarkus.datasource.jdbc.url"), "Quarkus's configuration model was read");
        return properties.stream()
                .map(p -> p.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    private static void collectMappingKeys(String prefix, Class<?> group, Set<String> keys) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == BrokerConfig.class) {
                collectMappingKeys(key, method.getReturnType(), keys);
            } else {
                keys.add(key);
            }
        }
    }
}
