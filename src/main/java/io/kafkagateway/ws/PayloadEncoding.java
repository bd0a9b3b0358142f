package io.kafkagateway.ws;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kafkagateway.core.GatewayException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How the JSON framing writes keys, values and header values: base64 (any bytes) or UTF-8 text. */
enum PayloadEncoding {
    BASE64("base64") {
        @Override
        void write(JsonGenerator json, byte[] bytes) throws IOException {
            // Base64's alphabet needs no JSON escaping.
            byte[] encoded = Base64.getEncoder().encode(bytes);
            json.writeRawUTF8String(encoded, 0, encoded.length);
        }

        @Override
        byte[] decode(String text, String what) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw GatewayException.invalid("invalid base64 in " + what + " (or connect with ?encoding=text): " + e.getMessage());
            }
        }
    },
    TEXT("UTF-8 text") {
        @Override
        void write(JsonGenerator json, byte[] bytes) throws IOException {
            JsonBuffers.text(json, bytes);
        }

        @Override
        byte[] decode(String text, String what) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    };

    private final String description;

    PayloadEncoding(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** Writes {@code bytes} as a JSON string value in this encoding. */
    abstract void write(JsonGenerator json, byte[] bytes) throws IOException;

    abstract byte[] decode(String text, String what);
}
