package dev.tokenbroker.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;

/**
 * How a record's scopes are stored and hashed. Format 2 is a JSON array of
 * strings written by a fixed encoder (so the hash never depends on a library's
 * escaping choices) and reads back exactly, empty and spaced scopes included.
 * Format 1, space-joined text, is kept only to verify records written before it.
 */
final class ScopeList {

    private static final ObjectMapper READER = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private ScopeList() {
    }

    static String encode(int format, List<String> scopes) {
        if (scopes == null) {
            return null;
        }
        if (format == 1) {
            return String.join(" ", scopes);
        }
        StringBuilder out = new StringBuilder(2 + scopes.size() * 20).append('[');
        for (int i = 0; i < scopes.size(); i++) {
            out.append(i == 0 ? "\"" : ",\"");
            for (char c : scopes.get(i).toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
        return out.append(']').toString();
    }

    static List<String> decode(int format, String text) {
        if (text == null) {
            return null;
        }
        if (format == 1) {
            // -1 keeps trailing empty strings, so the text re-joins to exactly what was hashed
            return Arrays.asList(text.split(" ", -1));
        }
        try {
            return READER.readValue(text, STRINGS);
        } catch (java.io.IOException e) {
            throw new AuditStoreException("a stored scope list is not a JSON array of strings", e);
        }
    }
}
