package dev.tokenbroker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Argo CD would apply: {@code kubectl kustomize k8s/overlays/example}, parsed
 * object by object. Every Secret the pod reads is made by an operator in the same
 * render, the hashed ConfigMap name is the one the pod reads, the environment's
 * values replaced every placeholder, and the Phalanx conventions hold after the
 * overlay. Without kubectl the test is skipped, unless {@code -Dk8s.render.required=true}
 * (CI) makes that a failure.
 */
class RenderedManifestTest {

    static final String APP = "service-token-broker";
    static List<JsonNode> objects;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        boolean required = Boolean.getBoolean("k8s.render.required");
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", "k8s/overlays/example").redirectErrorStream(false).start();
        } catch (IOException e) {
            if (required) {
                throw new AssertionError("kubectl is required (k8s.render.required) but cannot run: " + e.getMessage());
            }
            Assumptions.abort("kubectl is not installed: " + e.getMessage());
            return;
        }
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kubectl.exitValue(), "kubectl kustomize failed: " + err);
        objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = Manifests.YAML.readerFor(JsonNode.class).readValues(out)) {
            while (docs.hasNext()) {
                objects.add(docs.next());
            }
        }
    }

    static List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    static <T> T one(String kind, Class<T> type) {
        List<JsonNode> found = ofKind(kind);
        assertEquals(1, found.size(), "one " + kind);
        return Manifests.YAML.convertValue(found.get(0), type);
    }

    @Test
    void everyObjectIsInTheNamespaceAndLabelled() {
        assertEquals(Set.of("ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy",
                "GafaelfawrIngress", "GafaelfawrServiceToken", "VaultSecret"),
                objects.stream().map(o -> o.path("kind").asText()).collect(Collectors.toSet()));
        for (JsonNode object : objects) {
            assertEquals(APP, object.at("/metadata/namespace").asText(), object.toString());
            assertEquals(APP, object.at("/metadata/labels/app.kubernetes.io~1name").asText());
        }
        String all = objects.toString();
        for (String placeholder : List.of("example.org", "ENVIRONMENT", "baseUrl")) {
            assertFalse(all.contains(placeholder), placeholder + " is left in the rendered manifests");
        }
    }

    @Test
    void everySecretThePodReadsIsMadeInTheSameRender() {
        Deployment deployment = one("Deployment", Deployment.class);
        Container broker = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Set<String> made = new HashSet<>();
        ofKind("GafaelfawrServiceToken").forEach(t -> made.add(t.at("/metadata/name").asText()));
        ofKind("VaultSecret").forEach(t -> made.add(t.at("/metadata/name").asText()));
        Set<String> read = new HashSet<>();
        for (EnvVar env : broker.getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                read.add(env.getValueFrom().getSecretKeyRef().getName());
            }
        }
        for (Volume volume : deployment.getSpec().getTemplate().getSpec().getVolumes()) {
            if (volume.getSecret() != null) {
                read.add(volume.getSecret().getSecretName());
            }
        }
        assertEquals(made, read, "the pod reads exactly the Secrets that Gafaelfawr and Vault make");
        assertTrue(made.contains(APP + "-gafaelfawr-token"));
        JsonNode token = ofKind("GafaelfawrServiceToken").get(0);
        assertEquals("bot-" + APP, token.at("/spec/service").asText());
        assertEquals("secret/phalanx/data-dev.lsst.cloud/" + APP, ofKind("VaultSecret").get(0).at("/spec/path").asText());
    }

    @Test
    void thePodReadsTheGeneratedConfigMapAndTheOverlaysImage() {
        Deployment deployment = one("Deployment", Deployment.class);
        Container broker = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        JsonNode config = ofKind("ConfigMap").get(0);
        assertEquals(config.at("/metadata/name").asText(), broker.getEnvFrom().get(0).getConfigMapRef().getName());
        assertTrue(config.at("/metadata/name").asText().startsWith(APP + "-config-"), "a content hash rolls the pods");
        assertEquals("https://data-dev.lsst.cloud", config.at("/data/BROKER_GAFAELFAWR_URL").asText());
        assertFalse(config.at("/data/QUARKUS_DATASOURCE_USERNAME").asText().isEmpty());
        assertEquals("ghcr.io/lsst-sqre/service-token-broker:0.1.0", broker.getImage());
    }

    @Test
    void probesAndPrometheusUseTheManagementPortWhichNoIngressRoutes() {
        Deployment deployment = one("Deployment", Deployment.class);
        Container broker = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, Integer> ports = broker.getPorts().stream()
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        for (Probe probe : List.of(broker.getStartupProbe(), broker.getReadinessProbe(), broker.getLivenessProbe())) {
            assertEquals("management", probe.getHttpGet().getPort().getStrVal());
            assertTrue(probe.getTimeoutSeconds() != null && probe.getTimeoutSeconds() > 0);
        }
        NetworkPolicy policy = one("NetworkPolicy", NetworkPolicy.class);
        assertEquals(deployment.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name"),
                policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
        assertEquals(Map.of("gafaelfawr.lsst.io/ingress", "true"),
                policy.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector().getMatchLabels());
        assertEquals(ports.get("http"), policy.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal());
        assertEquals(ports.get("management"), policy.getSpec().getIngress().get(1).getPorts().get(0).getPort().getIntVal());
        int servicePort = ofKind("Service").get(0).at("/spec/ports/0/port").asInt();
        for (JsonNode ingress : ofKind("GafaelfawrIngress")) {
            assertTrue(ingress.at("/config/baseUrl").isMissingNode());
            for (JsonNode rule : ingress.at("/template/spec/rules")) {
                assertEquals("data-dev.lsst.cloud", rule.path("host").asText());
                for (JsonNode path : rule.at("/http/paths")) {
                    assertEquals(servicePort, path.at("/backend/service/port/number").asInt());
                    assertFalse(path.path("path").asText().contains("/q/health"));
                    assertFalse(path.path("path").asText().contains("/q/metrics"));
                }
            }
        }
        assertNull(ofKind("Service").get(0).at("/spec/ports/1").textValue(), "no Service port leads to management");
    }
}
