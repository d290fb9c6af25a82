package dev.tokenbroker.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenbroker.time.EpochOrIso;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The body of POST /tokens, validated as Gafaelfawr's pydantic model does; every error is collected. */
final class CreateTokenBody {

    static final Pattern USERNAME = Pattern.compile("^[a-z0-9](?:[a-z0-9]|-[a-z0-9])*[a-z](?:[a-z0-9]|-[a-z0-9])*$");
    static final Pattern BOT_USERNAME = Pattern.compile("^bot-[a-z0-9](?:[a-z0-9]|-[a-z0-9])*$");

    final List<Map<String, Object>> errors = new ArrayList<>();
    String username;
    String tokenType;
    String tokenName;
    List<String> scopes = new ArrayList<>();
    Long expires;
    String name;

    static CreateTokenBody read(JsonNode body) {
        CreateTokenBody parsed = new CreateTokenBody();
        if (!body.isObject()) {
            parsed.error("model_attributes_type", "Input should be a valid dictionary or object to extract fields from",
                    List.of("body"));
            return parsed;
        }
        parsed.readUsername(body.get("username"));
        parsed.readTokenType(body.get("token_type"));
        parsed.readTokenName(body.get("token_name"));
        parsed.readScopes(body.get("scopes"));
        parsed.readExpires(body.get("expires"));
        parsed.name = parsed.optionalString(body.get("name"), "name", 1);
        parsed.optionalString(body.get("email"), "email", 0);
        parsed.optionalId(body.get("uid"), "uid");
        parsed.optionalId(body.get("gid"), "gid");
        if (body.hasNonNull("groups") && !body.get("groups").isArray()) {
            parsed.error("list_type", "Input should be a valid list", List.of("body", "groups"));
        }
        return parsed;
    }

    private void readUsername(JsonNode node) {
        if (node == null || node.isNull()) {
            error("missing", "Field required", List.of("body", "username"));
        } else if (!node.isTextual()) {
            error("string_type", "Input should be a valid string", List.of("body", "username"));
        } else if (node.asText().isEmpty()) {
            error("string_too_short", "String should have at least 1 character", List.of("body", "username"));
        } else if (node.asText().codePointCount(0, node.asText().length()) > 64) {
            error("string_too_long", "String should have at most 64 characters", List.of("body", "username"));
        } else if (!USERNAME.matcher(node.asText()).matches()) {
            error("string_pattern_mismatch", "String should match pattern '" + USERNAME.pattern() + "'",
                    List.of("body", "username"));
        } else {
            username = node.asText();
        }
    }

    private void readTokenType(JsonNode node) {
        if (node == null || node.isNull()) {
            error("missing", "Field required", List.of("body", "token_type"));
        } else if (!node.isTextual() || !List.of("service", "user").contains(node.asText())) {
            error("enum", "Input should be 'service' or 'user'", List.of("body", "token_type"));
        } else {
            tokenType = node.asText();
        }
    }

    private void readTokenName(JsonNode node) {
        boolean present = node != null && !node.isNull();
        if ("service".equals(tokenType) && present) {
            error("value_error", "Value error, token_name must not be set for service tokens", List.of("body"));
        } else if ("user".equals(tokenType) && !present) {
            error("value_error", "Value error, token_name must be set for user tokens", List.of("body"));
        } else if (present) {
            tokenName = optionalString(node, "token_name", 1);
        }
    }

    private void readScopes(JsonNode node) {
        if (node == null) {
            return;
        }
        if (!node.isArray()) {
            error("list_type", "Input should be a valid list", List.of("body", "scopes"));
            return;
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                error("string_type", "Input should be a valid string", List.of("body", "scopes", i));
            } else if (!scopes.contains(node.get(i).asText())) {
                scopes.add(node.get(i).asText());
            }
        }
    }

    private void readExpires(JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        java.util.Optional<java.time.Instant> read = node.isNumber()
                ? java.util.Optional.of(EpochOrIso.fromEpochSeconds(node.decimalValue()))
                : node.isTextual() ? EpochOrIso.parse(node.asText()) : java.util.Optional.empty();
        if (read.isPresent()) {
            expires = read.get().getEpochSecond();
        } else {
            error(node.isTextual() ? "datetime_from_date_parsing" : "datetime_type", "Input should be a valid datetime",
                    List.of("body", "expires"));
        }
    }

    private String optionalString(JsonNode node, String field, int minLength) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            error("string_type", "Input should be a valid string", List.of("body", field));
            return null;
        }
        if (node.asText().length() < minLength) {
            error("string_too_short", "String should have at least " + minLength + " character", List.of("body", field));
            return null;
        }
        return node.asText();
    }

    private void optionalId(JsonNode node, String field) {
        if (node != null && !node.isNull() && (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 1)) {
            error("greater_than_equal", "Input should be greater than or equal to 1", List.of("body", field));
        }
    }

    private void error(String type, String msg, List<Object> loc) {
        errors.add(UpstreamError.item(type, msg, loc));
    }
}
