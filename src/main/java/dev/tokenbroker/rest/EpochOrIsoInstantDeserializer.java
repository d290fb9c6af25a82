package dev.tokenbroker.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads {@code expires} the way Gafaelfawr does: epoch seconds (number or digits) or an ISO 8601 date-time. */
public class EpochOrIsoInstantDeserializer extends StdDeserializer<Instant> {

    static final String EXPECTED = "an ISO 8601 date-time with offset (e.g. 2027-06-01T00:00:00Z) or epoch seconds";

    public EpochOrIsoInstantDeserializer() {
        super(Instant.class);
    }

    /** The same reading for a query parameter: epoch seconds or ISO 8601 with offset. */
    public static java.util.Optional<Instant> parse(String text) {
        String trimmed = text.strip();
        try {
            if (trimmed.matches("^-?\\d+$")) {
                return java.util.Optional.of(Instant.ofEpochSecond(Long.parseLong(trimmed)));
            }
            return java.util.Optional.of(OffsetDateTime.parse(trimmed).toInstant());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return fromEpoch(parser.getDecimalValue(), parser, context);
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText().strip();
            if (text.matches("^-?\\d+(\\.\\d+)?$")) {
                return fromEpoch(new BigDecimal(text), parser, context);
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, EXPECTED);
            }
        }
        return (Instant) context.handleUnexpectedToken(Instant.class, parser);
    }

    private static Instant fromEpoch(BigDecimal seconds, JsonParser parser, DeserializationContext context)
            throws IOException {
        try {
            return Instant.ofEpochSecond(seconds.longValueExact());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            try {
                return Instant.ofEpochSecond(seconds.setScale(0, java.math.RoundingMode.DOWN).longValueExact());
            } catch (ArithmeticException | java.time.DateTimeException tooLarge) {
                return (Instant) context.handleWeirdNumberValue(Instant.class, seconds, EXPECTED);
            }
        }
    }
}
