package io.kafkagateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The key and value documents of the registry's topic, as Confluent's Schema Registry writes them (the same fields in
 * the same order, so that keys compact together and either registry reads the other's topic): keys
 * {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}}, {@code CONFIG}, {@code MODE},
 * {@code DELETE_SUBJECT}, {@code CLEAR_SUBJECT} and {@code NOOP} with {@code "magic":0}.
 */
final class SchemaDocs {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaDocs() {
    }

    static byte[] schemaKey(String subject, int version) {
        ObjectNode key = MAPPER.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version);
        return bytes(key.put("magic", 1));
    }

    static byte[] schemaValue(String subject, int version, int id, SchemaCommand.Schema schema, boolean deleted) {
        ObjectNode value = MAPPER.createObjectNode().put("subject", subject).put("version", version).put("id", id);
        if (!"AVRO".equals(schema.type())) {
            value.put("schemaType", schema.type());
        }
        if (!schema.references().isEmpty()) {
            ArrayNode references = value.putArray("references");
            schema.references().forEach(r -> references.addObject().put("name", r.name()).put("subject", r.subject())
                    .put("version", r.version()));
        }
        value.put("schema", schema.schema()).put("deleted", deleted);
        return bytes(value);
    }

    /** A CONFIG, MODE, DELETE_SUBJECT or CLEAR_SUBJECT key; {@code subject} null (global): left out, as Confluent does. */
    static byte[] subjectKey(String keytype, String subject) {
        ObjectNode key = MAPPER.createObjectNode().put("keytype", keytype);
        if (subject != null) {
            key.put("subject", subject);
        }
        return bytes(key.put("magic", 0));
    }

    static byte[] configValue(String subject, String compatibility) {
        return bytes(withSubject(subject).put("compatibilityLevel", compatibility));
    }

    static byte[] modeValue(String subject, String mode) {
        return bytes(withSubject(subject).put("mode", mode));
    }

    private static ObjectNode withSubject(String subject) {
        ObjectNode value = MAPPER.createObjectNode();
        return subject == null ? value : value.put("subject", subject);
    }

    static byte[] deleteSubjectValue(String subject, int upTo) {
        return bytes(MAPPER.createObjectNode().put("subject", subject).put("version", upTo));
    }

    /**
     * Applies one record of the topic to {@code state}; a record it cannot read is skipped (and said so by the
     * caller), never applied in part. Answers what was applied, for the log's waiters.
     */
    static void apply(SchemaState state, byte[] keyBytes, byte[] valueBytes) throws IOException {
        JsonNode key = MAPPER.readTree(keyBytes);
        JsonNode value = valueBytes == null ? null : MAPPER.readTree(valueBytes);
        String keytype = key.path("keytype").asText();
        String subject = key.path("subject").isTextual() ? key.path("subject").asText() : null;
        switch (keytype) {
            case "SCHEMA" -> {
                int version = key.path("version").asInt();
                if (value == null || value.isNull()) {
                    state.removeVersion(subject, version);
                } else {
                    state.putVersion(subject, version, value.path("id").asInt(), value.path("deleted").asBoolean(false),
                            schema(value));
                }
            }
            case "CONFIG" -> state.setCompatibility(subject, value == null || value.isNull() ? null
                    : value.path(value.has("compatibilityLevel") ? "compatibilityLevel" : "compatibility").asText());
            case "MODE" -> state.setMode(subject, value == null || value.isNull() ? null : value.path("mode").asText());
            case "DELETE_SUBJECT" -> {
                if (value != null && !value.isNull()) {
                    state.softDeleteUpTo(subject, value.path("version").asInt());
                }
            }
            case "CLEAR_SUBJECT" -> {
                if (value != null && !value.isNull()) {
                    state.clear(subject);
                }
            }
            default -> {
                // NOOP (a writer's marker) and key types of other registry versions: nothing to apply
            }
        }
    }

    static SchemaCommand.Schema schema(JsonNode value) {
        List<SchemaReference> references = new ArrayList<>();
        value.path("references").forEach(r -> references.add(new SchemaReference(r.path("name").asText(),
                r.path("subject").asText(), r.path("version").asInt())));
        String type = value.path("schemaType").isTextual() ? value.path("schemaType").asText() : "AVRO";
        return new SchemaCommand.Schema(type, value.path("schema").asText(), references);
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
