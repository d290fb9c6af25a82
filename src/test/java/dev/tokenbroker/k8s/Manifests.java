package dev.tokenbroker.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Typed models of what k8s/ holds beyond the core API: kustomizations and
 * Gafaelfawr's custom resources (from ../shared/gafaelfawr-contract.md and the
 * CRD), read strictly: an unknown or misspelt field fails the parse.
 */
final class Manifests {

    static final Path K8S = Path.of("k8s");
    static final Path BASE = K8S.resolve("base");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private Manifests() {
    }

    static <T> T read(Path file, Class<T> type) {
        try {
            return YAML.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " as " + type.getSimpleName(), e);
        }
    }

    static JsonNode tree(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Kustomization(String apiVersion, String kind, String namespace, List<Map<String, Object>> labels,
            List<String> resources, List<Generator> configMapGenerator, List<Image> images, List<Patch> patches) {
    }

    record Generator(String name, String behavior, List<String> literals) {
    }

    record Image(String name, String newName, String newTag) {
    }

    record Patch(Map<String, String> target, String patch, String path) {
    }

    record GafaelfawrServiceToken(String apiVersion, String kind, ObjectMeta metadata, TokenSpec spec) {
    }

    record TokenSpec(String service, List<String> scopes) {
    }

    /** Phalanx's vault-secrets-operator: a Secret of the same name, from the Vault path. */
    record VaultSecret(String apiVersion, String kind, ObjectMeta metadata, VaultSecretSpec spec) {
    }

    record VaultSecretSpec(String path, String type) {
    }

    record GafaelfawrIngress(String apiVersion, String kind, ObjectMeta metadata, Config config, Template template) {
    }

    record Config(String baseUrl, String service, Boolean allowCookies, Boolean loginRedirect, String authType,
            Boolean replace403, Scopes scopes, Delegate delegate) {
    }

    record Scopes(List<String> any, List<String> all, Boolean anonymous) {
    }

    record Delegate(Internal internal, Map<String, Object> notebook, Integer minimumLifetime, Boolean useAuthorization) {
    }

    record Internal(String service, List<String> scopes) {
    }

    record Template(ObjectMeta metadata, IngressSpec spec) {
    }

    /** A JSON Patch operation, as kustomize applies them. */
    record JsonPatchOp(String op, String path, @JsonProperty("value") Object value) {
    }
}
