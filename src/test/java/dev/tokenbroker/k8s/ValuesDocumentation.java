package dev.tokenbroker.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * values.yaml read as helm-docs reads it: a {@code # --} comment right above a key documents
 * that key (and what it holds). Settings are the leaves of the values tree: scalars, lists and
 * empty maps.
 */
final class ValuesDocumentation {

    private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z][\\w-]*):");

    /** Documented key path → its description (the {@code # --} comment's text). */
    final Map<String, String> documented = new LinkedHashMap<>();
    /** Every setting: path → its default value. */
    final Map<String, JsonNode> settings = new LinkedHashMap<>();

    ValuesDocumentation(Path valuesFile) {
        try {
            readComments(Files.readAllLines(valuesFile));
            collectLeaves("", Manifests.YAML.readTree(valuesFile.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documented path that covers a setting: itself or its nearest documented ancestor. */
    String documentation(String setting) {
        for (String path = setting; !path.isEmpty(); path = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "") {
            if (documented.containsKey(path)) {
                return path;
            }
        }
        return null;
    }

    private void readComments(List<String> lines) {
        Deque<int[]> indents = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        StringBuilder comment = null;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("# --")) {
                comment = new StringBuilder(trimmed.substring(4).trim());
                continue;
            }
            if (trimmed.startsWith("#") && comment != null) {
                if (!trimmed.startsWith("# @")) {
                    comment.append(' ').append(trimmed.substring(1).trim());
                }
                continue;
            }
            Matcher key = KEY.matcher(line);
            if (!key.find()) {
                if (trimmed.isEmpty()) {
                    comment = null;
                }
                continue;
            }
            int indent = key.group(1).length();
            while (!indents.isEmpty() && indents.peek()[0] >= indent) {
                indents.pop();
                names.pop();
            }
            indents.push(new int[] {indent});
            names.push(key.group(2));
            List<String> path = new ArrayList<>(names);
            java.util.Collections.reverse(path);
            if (comment != null) {
                documented.put(String.join(".", path), comment.toString().trim());
            }
            comment = null;
        }
    }

    private void collectLeaves(String prefix, JsonNode node) {
        if (node.isObject() && node.size() > 0) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectLeaves(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue());
            }
        } else {
            settings.put(prefix, node);
        }
    }
}
