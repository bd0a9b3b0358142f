package io.kafkagateway.instances;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkagateway.core.InstanceCommand;
import io.kafkagateway.core.InstanceReply;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * How instance commands and replies cross to another gateway: JSON documents {@code {"type": "Records", "body": {...}}}
 * of the records' own fields (byte arrays in base64). A document that does not decode is refused as bad, never thrown.
 */
final class InstanceWire {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final Map<String, Class<?>> COMMANDS = types(InstanceCommand.class);
    private static final Map<String, Class<?>> REPLIES = types(InstanceReply.class);

    private InstanceWire() {
    }

    static Buffer encode(Object message) {
        ObjectNode envelope = MAPPER.createObjectNode().put("type", message.getClass().getSimpleName());
        envelope.set("body", MAPPER.valueToTree(message));
        return Buffer.buffer(envelope.toString());
    }

    static InstanceCommand command(Buffer wire) {
        return decode(wire, COMMANDS, InstanceCommand.class);
    }

    static InstanceReply reply(Buffer wire) {
        return decode(wire, REPLIES, InstanceReply.class);
    }

    private static <T> T decode(Buffer wire, Map<String, Class<?>> types, Class<T> kind) {
        try {
            JsonNode envelope = MAPPER.readTree(wire.getBytes());
            Class<?> type = types.get(envelope.path("type").asText());
            if (type == null) {
                throw new IllegalArgumentException("not a " + kind.getSimpleName() + ": " + envelope.path("type"));
            }
            return kind.cast(MAPPER.treeToValue(envelope.path("body"), type));
        } catch (IOException e) {
            throw new IllegalArgumentException("a " + kind.getSimpleName() + " that does not decode: " + e.getMessage(), e);
        }
    }

    private static Map<String, Class<?>> types(Class<?> sealed) {
        Map<String, Class<?>> types = new HashMap<>();
        for (Class<?> type : sealed.getPermittedSubclasses()) {
            types.put(type.getSimpleName(), type);
        }
        return types;
    }
}
