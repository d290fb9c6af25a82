package dev.tokenbroker.k8s;

import static dev.tokenbroker.k8s.Chart.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Phalanx chart, as Argo CD would apply it to each environment: linted strictly, rendered
 * with each values file, and the rendered objects checked against the broker's conventions and
 * configuration. Helm runs in-process (helm-java), so this needs no tool installed.
 */
class ChartTest {

    static List<String> environments() {
        return Chart.environments();
    }

    @Test
    void theExampleEnvironmentsExist() {
        assertTrue(environments().containsAll(List.of("idfdev", "minikube")), environments().toString());
        assertTrue(Files.isRegularFile(Chart.DIRECTORY.resolve("secrets.yaml")));
        assertFalse(Files.exists(Path.of("k8s/base")), "one deployment description: the chart");
    }

    @ParameterizedTest
    @MethodSource("environments")
    void lintsStrictly(String environment, @TempDir Path scratch) {
        LintResult lint = Chart.lint(environment, scratch);
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
        assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                String.join("\n", lint.getMessages()));
    }

    @Test
    void lintCatchesABrokenTemplate(@TempDir Path scratch) throws IOException {
        Path template = Chart.DIRECTORY.resolve("templates/zz-broken-on-purpose.yaml");
        Files.writeString(template, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.nothing.here }}\n");
        try {
            assertTrue(Chart.lint("idfdev", scratch).isFailed(), "lint must fail on a template that cannot render");
        } finally {
            Files.delete(template);
        }
    }

    @ParameterizedTest
    @MethodSource("environments")
    void rendersThePhalanxObjectsLabelledAndFilledIn(String environment) {
        List<JsonNode> objects = Chart.render(environment);
        assertEquals(Set.of("ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy",
                "GafaelfawrIngress", "GafaelfawrServiceToken", "VaultSecret"),
                objects.stream().map(o -> o.path("kind").asText()).collect(Collectors.toSet()));
        for (JsonNode object : objects) {
            assertEquals(APP, object.at("/metadata/labels/app.kubernetes.io~1name").asText(), object.toString());
            assertEquals("Helm", object.at("/metadata/labels/app.kubernetes.io~1managed-by").asText());
        }
        String all = objects.toString();
        for (String placeholder : List.of("example.org", "ENVIRONMENT", "<nil>", "null", "changeme")) {
            assertFalse(all.contains(placeholder), placeholder + " is left in the rendered manifests");
        }
    }

    @ParameterizedTest
    @MethodSource("environments")
    void thePodReadsExactlyTheSecretsGafaelfawrAndVaultMake(String environment) throws IOException {
        List<JsonNode> objects = Chart.render(environment);
        Deployment deployment = one(objects, "Deployment", Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Set<String> made = new HashSet<>();
        Manifests.ofKind(objects, "GafaelfawrServiceToken", Manifests.GafaelfawrServiceToken.class)
                .forEach(t -> made.add(t.metadata().getName()));
        Manifests.ofKind(objects, "VaultSecret", Manifests.VaultSecret.class)
                .forEach(s -> made.add(s.metadata().getName()));
        Set<String> read = new HashSet<>();
        Set<String> vaultKeys = new TreeSet<>();
        for (EnvVar env : broker(deployment).getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                read.add(env.getValueFrom().getSecretKeyRef().getName());
                vaultKeys.add(env.getValueFrom().getSecretKeyRef().getKey());
            }
        }
        pod.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> read.add(v.getSecret().getSecretName()));
        assertEquals(made, read, "the pod reads exactly the Secrets that Gafaelfawr and Vault make");

        Manifests.GafaelfawrServiceToken token = one(objects, "GafaelfawrServiceToken", Manifests.GafaelfawrServiceToken.class);
        assertEquals(APP + "-gafaelfawr-token", token.metadata().getName(), "Phalanx's <app>-gafaelfawr-token");
        assertEquals("bot-" + APP, token.spec().service());
        assertEquals(List.of("admin:token"), token.spec().scopes());
        VolumeMount mount = broker(deployment).getVolumeMounts().stream()
                .filter(m -> token.metadata().getName().equals(secretOf(pod, m.getName()))).findFirst()
                .orElseThrow(() -> new AssertionError("the admin token's Secret is mounted"));
        assertTrue(mount.getReadOnly());
        assertEquals(mount.getMountPath() + "/token", settings(objects).get("BROKER_GAFAELFAWR_ADMIN_TOKEN_FILE"));

        Manifests.VaultSecret vault = one(objects, "VaultSecret", Manifests.VaultSecret.class);
        assertEquals(Chart.GLOBALS.get("global.vaultSecretsPath") + "/" + APP, vault.spec().path());
        Set<String> specified = new TreeSet<>();
        Manifests.YAML.readTree(Chart.DIRECTORY.resolve("secrets.yaml").toFile()).fieldNames().forEachRemaining(specified::add);
        assertEquals(specified, vaultKeys, "secrets.yaml specifies exactly the Vault keys the pod reads");
    }

    @ParameterizedTest
    @MethodSource("environments")
    void probesAndPrometheusUseTheManagementPortWhichNothingRoutes(String environment) {
        List<JsonNode> objects = Chart.render(environment);
        Deployment deployment = one(objects, "Deployment", Deployment.class);
        Container broker = broker(deployment);
        Map<String, Integer> ports = broker.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        assertEquals(Map.of("http", 8080, "management", 9000), ports);
        for (Probe probe : List.of(broker.getStartupProbe(), broker.getReadinessProbe(), broker.getLivenessProbe())) {
            assertEquals("management", probe.getHttpGet().getPort().getStrVal());
            assertTrue(probe.getHttpGet().getPath().startsWith("/q/health/"));
            assertNotNull(probe.getTimeoutSeconds(), "a probe says how long it waits");
            assertTrue(probe.getTimeoutSeconds() < probe.getPeriodSeconds(), "and ends before the next one");
        }
        assertEquals("9000", deployment.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port"));

        Service service = one(objects, "Service", Service.class);
        assertEquals(1, service.getSpec().getPorts().size(), "the Service exposes the API only");
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(deployment.getSpec().getTemplate().getMetadata().getLabels(), service.getSpec().getSelector());

        NetworkPolicy policy = one(objects, "NetworkPolicy", NetworkPolicy.class);
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        assertEquals(2, policy.getSpec().getIngress().size());
        var api = policy.getSpec().getIngress().get(0);
        var anyNamespace = api.getFrom().get(0).getNamespaceSelector();
        assertTrue(anyNamespace.getMatchLabels() == null || anyNamespace.getMatchLabels().isEmpty());
        assertEquals(Map.of("gafaelfawr.lsst.io/ingress", "true"), api.getFrom().get(0).getPodSelector().getMatchLabels());
        assertEquals(List.of(ports.get("http")), api.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());
        var scrape = policy.getSpec().getIngress().get(1);
        assertEquals("prometheus", scrape.getFrom().get(0).getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
        assertEquals(List.of(ports.get("management")), scrape.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());

        for (HTTPIngressPath path : ingressPaths(objects)) {
            assertEquals(service.getMetadata().getName(), path.getBackend().getService().getName());
            assertEquals(service.getSpec().getPorts().get(0).getPort(), path.getBackend().getService().getPort().getNumber());
            assertTrue(path.getPath().startsWith("/" + APP + "/"), path.getPath());
            assertFalse(path.getPath().contains("/q/health") || path.getPath().contains("/q/metrics"));
        }
        for (Manifests.GafaelfawrIngress ingress : Manifests.ofKind(objects, "GafaelfawrIngress", Manifests.GafaelfawrIngress.class)) {
            assertNull(ingress.config().baseUrl(), "config.baseUrl is obsolete: Gafaelfawr knows its own URL");
            ingress.template().spec().getRules()
                    .forEach(rule -> assertEquals(Chart.GLOBALS.get("global.host"), rule.getHost()));
        }
    }

    @ParameterizedTest
    @MethodSource("environments")
    void thePodRunsLockedDown(String environment) {
        List<JsonNode> objects = Chart.render(environment);
        Deployment deployment = one(objects, "Deployment", Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container broker = broker(deployment);
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(Boolean.TRUE, broker.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, broker.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), broker.getSecurityContext().getCapabilities().getDrop());
        VolumeMount tmp = broker.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
        assertEquals("Memory", volume(pod, tmp.getName()).getEmptyDir().getMedium());
        assertNotNull(broker.getResources().getRequests().get("memory"));
        assertNotNull(broker.getResources().getLimits().get("memory"));
        assertNotNull(broker.getResources().getLimits().get("cpu"));
        assertNotNull(broker.getLifecycle().getPreStop().getExec(), "a preStop pause");
        assertTrue(pod.getTerminationGracePeriodSeconds() > 25, "longer than preStop + quarkus.shutdown.timeout");
        PodDisruptionBudget budget = one(objects, "PodDisruptionBudget", PodDisruptionBudget.class);
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), budget.getSpec().getSelector().getMatchLabels());
        assertTrue(budget.getSpec().getMinAvailable().getIntVal() < deployment.getSpec().getReplicas()
                || deployment.getSpec().getReplicas() == 1, "a drain can still move a pod");
        assertTrue(deployment.getSpec().getTemplate().getMetadata().getAnnotations().containsKey("checksum/config"),
                "a change of settings rolls the pods");
    }

    @ParameterizedTest
    @MethodSource("environments")
    void everyEnvironmentVariableIsASettingOfTheBroker(String environment) {
        List<JsonNode> objects = Chart.render(environment);
        Deployment deployment = one(objects, "Deployment", Deployment.class);
        Container broker = broker(deployment);
        assertEquals(one(objects, "ConfigMap", ConfigMap.class).getMetadata().getName(),
                broker.getEnvFrom().get(0).getConfigMapRef().getName(), "the pod reads the chart's ConfigMap");
        Set<String> variables = environmentVariables(objects);
        assertEquals(Set.of(), unknown(variables), "not a configuration key of the broker or Quarkus");
        assertTrue(variables.containsAll(Set.of("BROKER_GAFAELFAWR_URL", "BROKER_GAFAELFAWR_ADMIN_TOKEN_FILE",
                "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")), variables.toString());
        assertEquals(Chart.GLOBALS.get("global.baseUrl"), settings(objects).get("BROKER_GAFAELFAWR_URL"));
        assertTrue(settings(objects).get("QUARKUS_DATASOURCE_JDBC_URL").matches("jdbc:postgresql://[^:/]+:5432/\\w[\\w-]*"));
        assertEquals("write:sasquatch", settings(objects).get("BROKER_POLICY_ALLOWED_SCOPES"), "a list is comma-separated");
        assertEquals("10000", settings(objects).get("BROKER_AUTH_CACHE_MAX_ENTRIES"), "a number is written as an integer");
    }

    @Test
    void aMisspeltSettingFailsTheBuild() {
        Set<String> variables = environmentVariables(Chart.render("idfdev", Map.of("config.quota.activeTokenPerBot", "3")));
        assertEquals(Set.of("BROKER_QUOTA_ACTIVE_TOKEN_PER_BOT"), unknown(variables));
    }

    @Test
    void anEnvironmentWithoutADatabaseDoesNotRender() {
        assertThrows(RuntimeException.class, () -> Chart.render("idfdev", Map.of("database.host", "")));
    }

    @Test
    void theApiIngressDelegatesToTheServiceTheBrokerAccepts() {
        List<JsonNode> objects = Chart.render("idfdev");
        Manifests.GafaelfawrIngress api = ingress(objects, APP);
        assertEquals(Boolean.FALSE, api.config().allowCookies());
        assertEquals(Boolean.TRUE, api.config().delegate().useAuthorization());
        assertEquals(settings(objects).get("BROKER_POLICY_DELEGATED_SERVICE"), api.config().delegate().internal().service());
        assertTrue(api.config().delegate().internal().scopes().containsAll(List.of(
                settings(objects).get("BROKER_POLICY_ADMIN_SCOPE"), settings(objects).get("BROKER_AUDIT_AUDITOR_SCOPE"))),
                "administrators and auditors are told apart by the scopes the delegated token carries");
        assertEquals(Boolean.TRUE, ingress(objects, APP + "-swagger-ui").config().loginRedirect());
    }

    @Test
    void everySettingOfValuesYamlIsDocumentedAndInTheChartReadme() throws IOException {
        ValuesDocumentation values = new ValuesDocumentation(Chart.DIRECTORY.resolve("values.yaml"));
        assertTrue(values.settings.size() > 40, values.settings.keySet().toString());
        List<String> undocumented = values.settings.keySet().stream().filter(s -> values.documentation(s) == null).toList();
        assertEquals(List.of(), undocumented, "a setting without a '# --' comment");
        values.documented.forEach((path, text) -> assertFalse(text.isBlank(), path + " has an empty description"));
        String readme = Files.readString(Chart.DIRECTORY.resolve("README.md"));
        for (String path : values.documented.keySet()) {
            assertTrue(readme.contains("| " + path + " |"), path + " is missing from the chart README's values table");
        }
    }

    @Test
    void everySettingOfValuesYamlChangesWhatIsRendered() {
        ValuesDocumentation values = new ValuesDocumentation(Chart.DIRECTORY.resolve("values.yaml"));
        String baseline = Chart.render("idfdev").toString();
        List<String> unused = new ArrayList<>();
        for (Map.Entry<String, JsonNode> setting : values.settings.entrySet()) {
            Map<String, String> change = changed(setting.getKey(), setting.getValue());
            if (Chart.render("idfdev", change).toString().equals(baseline)) {
                unused.add(setting.getKey());
            }
        }
        assertEquals(List.of(), unused, "values no template reads");
    }

    /** A --set that gives a setting another value of its own kind. */
    private static Map<String, String> changed(String path, JsonNode value) {
        if (value.isBoolean()) {
            return Map.of(path, Boolean.toString(!value.booleanValue()));
        }
        if (value.isNumber()) {
            return Map.of(path, Integer.toString(value.intValue() + 7));
        }
        if (value.isArray()) {
            return Map.of(path + "[0]", "changed-entry");
        }
        if (value.isObject()) {
            return Map.of(path + ".changed.url", "https://changed.lsst.cloud");
        }
        return Map.of(path, path.startsWith("global.") || path.endsWith("url") ? "https://changed.lsst.cloud" : "changed-value");
    }

    static Set<String> environmentVariables(List<JsonNode> objects) {
        Set<String> variables = new TreeSet<>(settings(objects).keySet());
        broker(one(objects, "Deployment", Deployment.class)).getEnv().forEach(e -> variables.add(e.getName()));
        return variables;
    }

    private static Set<String> unknown(Set<String> variables) {
        return variables.stream().filter(v -> !ConfigurationKeys.isEnvironmentName(v)).collect(Collectors.toSet());
    }

    static Map<String, String> settings(List<JsonNode> objects) {
        return one(objects, "ConfigMap", ConfigMap.class).getData();
    }

    static List<HTTPIngressPath> ingressPaths(List<JsonNode> objects) {
        List<HTTPIngressPath> paths = new ArrayList<>();
        Manifests.ofKind(objects, "GafaelfawrIngress", Manifests.GafaelfawrIngress.class)
                .forEach(i -> i.template().spec().getRules().forEach(r -> paths.addAll(r.getHttp().getPaths())));
        return paths;
    }

    static Manifests.GafaelfawrIngress ingress(List<JsonNode> objects, String name) {
        return Manifests.ofKind(objects, "GafaelfawrIngress", Manifests.GafaelfawrIngress.class).stream()
                .filter(i -> i.metadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no GafaelfawrIngress " + name));
    }

    static <T> T one(List<JsonNode> objects, String kind, Class<T> type) {
        List<T> found = Manifests.ofKind(objects, kind, type);
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    private static Container broker(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String secretOf(PodSpec pod, String volumeName) {
        Volume volume = volume(pod, volumeName);
        return volume.getSecret() == null ? null : volume.getSecret().getSecretName();
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
