package dev.tokenbroker.gafaelfawr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Gafaelfawr's error body ({@code {"detail": [{"loc", "msg", "type"}]}}, or a
 * single object for 401) down to its messages. FastAPI also echoes the offending
 * {@code input}; that is never kept, and anything token-shaped is redacted.
 */
final class UpstreamErrors {

    private static final int MAX_MESSAGES = 5;
    private static final int MAX_MESSAGE_LENGTH = 300;

    record Item(String location, String message, String type) {
        /** A 403 about the request (a non-bot username), as opposed to one about the admin token's scopes. */
        boolean refusesRequest() {
            return (location != null && location.startsWith("body")) || message.contains("must start with");
        }

        String describe() {
            return location == null ? message : message + " (at " + location + ")";
        }
    }

    private UpstreamErrors() {
    }

    static List<Item> parse(ObjectMapper json, String body) {
        List<Item> items = new ArrayList<>();
        JsonNode detail;
        try {
            detail = json.readTree(body == null ? "" : body).path("detail");
        } catch (Exception e) {
            return items;
        }
        if (detail.isObject()) {
            items.add(item(detail));
        } else if (detail.isArray()) {
            for (JsonNode node : detail) {
                if (items.size() == MAX_MESSAGES) {
                    break;
                }
                items.add(item(node));
            }
        } else if (detail.isTextual()) {
            items.add(new Item(null, clean(detail.asText()), null));
        }
        return items;
    }

    static String describe(List<Item> items) {
        return items.isEmpty() ? "no error message" : String.join("; ", items.stream().map(Item::describe).toList());
    }

    private static Item item(JsonNode node) {
        String location = null;
        if (node.path("loc").isArray()) {
            List<String> parts = new ArrayList<>();
            node.path("loc").forEach(part -> parts.add(part.asText()));
            location = clean(String.join(".", parts));
        }
        String type = node.path("type").isTextual() ? clean(node.path("type").asText()) : null;
        return new Item(location, clean(node.path("msg").asText("")), type);
    }

    private static String clean(String text) {
        String redacted = GafaelfawrToken.redact(text);
        return redacted.length() > MAX_MESSAGE_LENGTH ? redacted.substring(0, MAX_MESSAGE_LENGTH) + "…" : redacted;
    }
}
