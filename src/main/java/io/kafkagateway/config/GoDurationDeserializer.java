package io.kafkagateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;
import java.time.Duration;

/** Reads config durations in Go syntax; a bare number is accepted only for 0. */
final class GoDurationDeserializer extends StdScalarDeserializer<Duration> {

    GoDurationDeserializer() {
        super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getLongValue() == 0) {
            return Duration.ZERO;
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return GoDuration.parse(parser.getText());
            } catch (IllegalArgumentException e) {
                throw new IllegalConfigurationException(null, e.getMessage());
            }
        }
        throw new IllegalConfigurationException(null, "'" + parser.getText()
                + "' is not a duration; write it with a unit, like 300ms, 1.5s, 2m or 1h30m");
    }
}
