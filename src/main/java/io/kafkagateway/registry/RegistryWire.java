package io.kafkagateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReply;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * Registry writes and their answers between gateways: {@code {"type": <record name>, "body": <its fields>}} in JSON,
 * so that gateways of different builds read each other (never Java serialization). A document that does not decode
 * is an {@link IllegalArgumentException}.
 */
final class RegistryWire {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RegistryWire() {
    }

    static Buffer encode(Object message) {
        ObjectNode doc = MAPPER.createObjectNode().put("type", message.getClass().getSimpleName());
        doc.set("body", MAPPER.valueToTree(message));
        return Buffer.buffer(doc.toString());
    }

    static SchemaCommand command(Buffer buffer) {
        return decode(buffer, SchemaCommand.class);
    }

    static SchemaReply reply(Buffer buffer) {
        return decode(buffer, SchemaReply.class);
    }

    private static <T> T decode(Buffer buffer, Class<T> family) {
        try {
            JsonNode doc = MAPPER.readTree(buffer.getBytes());
            String type = doc.path("type").asText();
            for (Class<?> member : family.getPermittedSubclasses()) {
                if (member.getSimpleName().equals(type)) {
                    return family.cast(MAPPER.treeToValue(doc.path("body"), member));
                }
            }
            throw new IllegalArgumentException("not a registry message: type '" + type + "'");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a registry document: " + e.getMessage(), e);
        }
    }
}
