package dev.tokenbroker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.k8s.ConfigurationKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README is a short front door, every link of the documentation leads somewhere, and every setting is documented. */
class DocumentationTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*$", Pattern.MULTILINE);

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("k8s/service-token-broker/README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void theReadmeIsAFrontDoor() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        assertTrue(lines.size() <= 150, "README.md has " + lines.size() + " lines: move detail into docs/");
        assertTrue(lines.get(3).contains("./mvnw quarkus:dev") && lines.get(4).contains("./mvnw verify"),
                "the README's first lines give the two commands");
    }

    @Test
    void everyLinkLeadsSomewhere() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            Matcher link = LINK.matcher(prose(Files.readString(page)));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                checked++;
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no such file)");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(page + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(checked > 20, "links were found: " + checked);
        assertEquals(List.of(), broken);
    }

    @Test
    void everySettingIsInTheConfigurationTable() throws IOException {
        String operations = Files.readString(Path.of("docs/operations.md"));
        Set<String> rows = operations.lines().filter(l -> l.startsWith("| `")).collect(Collectors.toSet());
        List<String> missing = ConfigurationKeys.broker().stream()
                .filter(key -> rows.stream().noneMatch(row -> row.startsWith("| `" + key + "`")))
                .toList();
        assertTrue(ConfigurationKeys.broker().size() > 25, ConfigurationKeys.broker().toString());
        assertEquals(List.of(), missing, "keys of BrokerConfig missing from the table in docs/operations.md");
    }

    /** The text outside code: fenced blocks and code spans hold examples, not links or headings. */
    static String prose(String markdown) {
        return markdown.replaceAll("(?ms)^```.*?^```", "").replaceAll("`[^`\n]*`", "");
    }

    /** GitHub's anchors for a Markdown file's headings. */
    static Set<String> anchors(Path file) throws IOException {
        if (!file.toString().endsWith(".md")) {
            return Set.of();
        }
        Matcher heading = HEADING.matcher(Files.readString(file).replaceAll("(?ms)^```.*?^```", ""));
        Set<String> anchors = new java.util.HashSet<>();
        while (heading.find()) {
            anchors.add(heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }
}
