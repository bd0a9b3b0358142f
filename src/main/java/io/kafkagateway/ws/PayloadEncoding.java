package io.kafkagateway.ws;

import io.kafkagateway.core.GatewayException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** How the JSON framing writes keys, values and header values: base64 (any bytes) or UTF-8 text. */
enum PayloadEncoding {
    BASE64("base64") {
        @Override
        String encode(byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
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
        String encode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
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

    abstract String encode(byte[] bytes);

    abstract byte[] decode(String text, String what);
}
