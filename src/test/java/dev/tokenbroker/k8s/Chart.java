package dev.tokenbroker.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Phalanx chart under k8s/, linted and rendered in-process by Helm's own library
 * (helm-java), with the values Argo CD injects in every Phalanx environment.
 */
public final class Chart {

    public static final Path DIRECTORY = Path.of("k8s/service-token-broker");
    public static final String APP = "service-token-broker";

    /** What Argo CD passes to every Phalanx application (an example environment's). */
    public static final Map<String, String> GLOBALS = Map.of(
            "global.host", "data-dev.lsst.cloud",
            "global.baseUrl", "https://data-dev.lsst.cloud",
            "global.vaultSecretsPath", "secret/phalanx/idfdev");

    private Chart() {
    }

    /** The environments: every values-*.yaml beside the chart, by name ("idfdev", "minikube"). */
    public static List<String> environments() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("values-") && n.endsWith(".yaml"))
                    .map(n -> n.substring("values-".length(), n.length() - ".yaml".length()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path valuesOf(String environment) {
        return DIRECTORY.resolve("values-" + environment + ".yaml");
    }

    /** {@code helm template} for an environment, with extra {@code --set}s; the objects, parsed. */
    public static List<JsonNode> render(String environment, Map<String, String> sets) {
        TemplateCommand template = new Helm(DIRECTORY).template().withName(APP).withNamespace(APP)
                .withValuesFile(valuesOf(environment));
        GLOBALS.forEach(template::set);
        sets.forEach(template::set);
        return parse(template.call());
    }

    public static List<JsonNode> render(String environment) {
        return render(environment, Map.of());
    }

    /**
     * {@code helm lint --strict} of the chart as an environment deploys it. helm-java's lint reads
     * only the chart's values.yaml, so it lints a copy whose values.yaml is the environment's
     * merged over the defaults, with the values Argo CD injects.
     */
    public static LintResult lint(String environment, Path scratch) {
        try {
            Path copy = scratch.resolve(environment).resolve(APP);
            copyTree(DIRECTORY, copy);
            ObjectNode values = (ObjectNode) Manifests.YAML.readTree(DIRECTORY.resolve("values.yaml").toFile());
            merge(values, Manifests.YAML.readTree(valuesOf(environment).toFile()));
            ObjectNode global = values.putObject("global");
            GLOBALS.forEach((key, value) -> global.put(key.substring("global.".length()), value));
            Manifests.YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> parse(String rendered) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = Manifests.YAML.readerFor(JsonNode.class).readValues(rendered)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse the rendered chart", e);
        }
        return objects;
    }

    private static void merge(ObjectNode into, JsonNode from) {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue().isObject()) {
                merge(object, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
