package dev.tokenbroker.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.tokenbroker.time.EpochOrIso;
import java.io.IOException;
import java.time.Instant;

/** Reads {@code expires} with {@link EpochOrIso}: a JSON number, or a string in either form. */
public class EpochOrIsoInstantDeserializer extends StdDeserializer<Instant> {

    public EpochOrIsoInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return EpochOrIso.fromEpochSeconds(parser.getDecimalValue());
        }
        if (token == JsonToken.VALUE_STRING) {
            java.util.Optional<Instant> read = EpochOrIso.parse(parser.getText());
            return read.isPresent() ? read.get()
                    : (Instant) context.handleWeirdStringValue(Instant.class, parser.getText(), EpochOrIso.EXPECTED);
        }
        return (Instant) context.handleUnexpectedToken(Instant.class, parser);
    }
}
