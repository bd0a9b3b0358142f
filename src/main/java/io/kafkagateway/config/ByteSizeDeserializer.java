package io.kafkagateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;

/** Reads config sizes: a whole number of bytes, or a string with a unit ({@link ByteSize#parse}). */
final class ByteSizeDeserializer extends StdScalarDeserializer<ByteSize> {

    ByteSizeDeserializer() {
        super(ByteSize.class);
    }

    @Override
    public ByteSize deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        try {
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return new ByteSize(parser.getLongValue());
            }
            if (token == JsonToken.VALUE_STRING) {
                return ByteSize.parse(parser.getText());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalConfigurationException(null, e.getMessage());
        }
        throw new IllegalConfigurationException(null, "'" + parser.getText() + "' is not a size, like 64MiB");
    }
}
