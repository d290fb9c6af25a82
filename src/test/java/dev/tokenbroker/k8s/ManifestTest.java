package dev.tokenbroker.k8s;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.config.BrokerConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
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
 * and the pod runs locked down. (kustomize itself is not on this machine; the
 * kustomizations are checked as data: every resource read, every patch target
 * present.)
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
        assertTrue(deployment.getAdditionalProperties().isEmpty() && broker.getAdditionalProperties().isEmpty()
                && broker.getSecurityContext().getAdditionalProperties().isEmpty()
                && pod.getAdditionalProperties().isEmpty(), "no field of the Deployment is unknown to the model");
    }

    @Test
    void probesAnswerOnTheApplicationsPaths() throws IOException {
        String root = prodRootPath();
        assertEquals("/" + APP, root);
        for (HTTPGetAction probe : List.of(broker.getReadinessProbe().getHttpGet(),
                broker.getLivenessProbe().getHttpGet(), broker.getStartupProbe().getHttpGet())) {
            assertEquals("http", probe.getPort().getStrVal());
            assertTrue(probe.getPath().startsWith(root + "/q/health/"), probe.getPath());
            // The test application serves at /, the packaged one under its root path.
            int status = given().when().get(probe.getPath().substring(root.length())).then().extract().statusCode();
            assertNotEquals(404, status, probe.getPath() + " must exist");
        }
        assertTrue(broker.getReadinessProbe().getHttpGet().getPath().endsWith("/ready"));
        assertTrue(broker.getLivenessProbe().getHttpGet().getPath().endsWith("/live"));
    }

    @Test
    void theContainerPortIsTheHttpPort() throws IOException {
        int httpPort = Integer.parseInt(prodSetting("quarkus.http.port", "8080"));
        assertEquals(1, broker.getPorts().size());
        assertEquals(httpPort, broker.getPorts().get(0).getContainerPort());
        assertEquals("http", broker.getPorts().get(0).getName());
        Service service = Manifests.read(Manifests.BASE.resolve("service.yaml"), Service.class);
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(deployment.getSpec().getTemplate().getMetadata().getLabels(), service.getSpec().getSelector());
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
        assertEquals("bot-token-broker", token.spec().service());
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
        assertTrue(api.config().baseUrl().startsWith("https://"));
        Manifests.GafaelfawrIngress swagger = Manifests.read(Manifests.BASE.resolve("ingress-swagger-ui.yaml"),
                Manifests.GafaelfawrIngress.class);
        assertEquals(Boolean.TRUE, swagger.config().loginRedirect());

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
    void onlyTheIngressControllerReachesThePods() {
        NetworkPolicy policy = Manifests.read(Manifests.BASE.resolve("network-policy.yaml"), NetworkPolicy.class);
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(1, policy.getSpec().getIngress().size());
        assertEquals(broker.getPorts().get(0).getContainerPort(),
                policy.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal());
        assertEquals("ingress-nginx", policy.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector()
                .getMatchLabels().get("kubernetes.io/metadata.name"));
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
