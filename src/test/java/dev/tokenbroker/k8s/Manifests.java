package dev.tokenbroker.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import java.util.List;
import java.util.Map;

/**
 * Typed models of what the chart renders beyond the core API: Gafaelfawr's and Vault's
 * custom resources (from docs/gafaelfawr-contract.md and the CRDs), read strictly: an
 * unknown or misspelt field fails the parse.
 */
public final class Manifests {

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private Manifests() {
    }

    /** The rendered objects of one kind, each read strictly as {@code type}. */
    public static <T> List<T> ofKind(List<JsonNode> objects, String kind, Class<T> type) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind))
                .map(o -> YAML.convertValue(o, type)).toList();
    }

    public record GafaelfawrServiceToken(String apiVersion, String kind, ObjectMeta metadata, TokenSpec spec) {
    }

    public record TokenSpec(String service, List<String> scopes) {
    }

    /** Phalanx's vault-secrets-operator: a Secret of the same name, from the Vault path. */
    public record VaultSecret(String apiVersion, String kind, ObjectMeta metadata, VaultSecretSpec spec) {
    }

    public record VaultSecretSpec(String path, String type) {
    }

    public record GafaelfawrIngress(String apiVersion, String kind, ObjectMeta metadata, Config config, Template template) {
    }

    public record Config(String baseUrl, String service, Boolean allowCookies, Boolean loginRedirect, String authType,
            Boolean replace403, Scopes scopes, Delegate delegate) {
    }

    public record Scopes(List<String> any, List<String> all, Boolean anonymous) {
    }

    public record Delegate(Internal internal, Map<String, Object> notebook, Integer minimumLifetime, Boolean useAuthorization) {
    }

    public record Internal(String service, List<String> scopes) {
    }

    public record Template(ObjectMeta metadata, IngressSpec spec) {
    }
}
