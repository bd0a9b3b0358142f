package io.kafkagateway.ws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.config.InitialOffset;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.ProduceResult;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.stream.Subscription;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The native dialect's JSON framing: one object per text frame, its kind in {@code "type"}. Keys, values and header
 * values are base64 strings, or UTF-8 text with {@code ?encoding=text}. Unknown fields are refused by name, so a typo
 * is an error rather than a silent default.
 */
final class JsonNativeCodec implements NativeCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PayloadEncoding encoding;

    JsonNativeCodec(PayloadEncoding encoding) {
        this.encoding = encoding;
    }

    @Override
    public boolean binary() {
        return false;
    }

    @Override
    public NativeFrame decode(Buffer frame, String cluster) {
        JsonNode node;
        try {
            node = MAPPER.readTree(frame.getBytes());
        } catch (JsonProcessingException e) {
            throw GatewayException.invalid("a frame must be a JSON object: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || !node.isObject()) {
            throw GatewayException.invalid("a frame must be a JSON object with a \"type\"");
        }
        String type = text(node, "type", true);
        return switch (type) {
            case "subscribe" -> subscribe(node, cluster);
            case "credits" -> {
                only(node, "type", "count");
                yield new NativeFrame.Credits(number(node, "count", 0, Long.MAX_VALUE));
            }
            case "ack" -> {
                only(node, "type", "topic", "partition", "offset");
                yield new NativeFrame.Ack(text(node, "topic", true), (int) number(node, "partition", 0, Integer.MAX_VALUE),
                        number(node, "offset", 0, Long.MAX_VALUE));
            }
            case "produce" -> produce(node);
            case "unsubscribe" -> {
                only(node, "type");
                yield new NativeFrame.Unsubscribe();
            }
            default -> throw GatewayException.invalid("unknown frame type '" + type
                    + "'; use subscribe, credits, ack, produce or unsubscribe");
        };
    }

    private static NativeFrame subscribe(JsonNode node, String cluster) {
        only(node, "type", "group", "topics", "initialOffset", "credits", "autoAck", "batch");
        JsonNode topics = node.get("topics");
        if (topics == null || !topics.isArray()) {
            throw GatewayException.invalid("subscribe needs \"topics\": a list of topic names");
        }
        List<String> names = new ArrayList<>();
        topics.forEach(t -> {
            if (!t.isTextual()) {
                throw GatewayException.invalid("\"topics\" must hold topic names (strings)");
            }
            names.add(t.asText());
        });
        String start = text(node, "initialOffset", false);
        InitialOffset initial = start == null ? null : switch (start) {
            case "earliest" -> InitialOffset.EARLIEST;
            case "latest" -> InitialOffset.LATEST;
            default -> throw GatewayException.invalid("\"initialOffset\" must be earliest or latest, got '" + start + "'");
        };
        long credits = node.has("credits") ? number(node, "credits", 0, Long.MAX_VALUE) : 0;
        return new NativeFrame.Subscribe(new Subscription(cluster, text(node, "group", true), names, initial, credits,
                flag(node, "autoAck"), flag(node, "batch")));
    }

    private static boolean flag(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && !value.isBoolean()) {
            throw GatewayException.invalid("\"" + field + "\" must be true or false");
        }
        return value != null && value.asBoolean();
    }

    private NativeFrame produce(JsonNode node) {
        only(node, "type", "id", "topic", "key", "value", "headers");
        String id = node.has("id") ? node.get("id").asText() : "";
        JsonNode key = node.get("key");
        JsonNode value = node.get("value");
        if (value == null || !value.isTextual()) {
            throw GatewayException.invalid("produce needs \"value\": a " + encoding.description() + " string");
        }
        List<RecordHeader> headers = new ArrayList<>();
        JsonNode list = node.get("headers");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw GatewayException.invalid("\"headers\" must be a list of {\"key\", \"value\"}");
            }
            for (JsonNode header : list) {
                if (!header.isObject() || !header.path("key").isTextual()) {
                    throw GatewayException.invalid("each header must be {\"key\": string, \"value\": string}");
                }
                JsonNode headerValue = header.get("value");
                headers.add(new RecordHeader(header.get("key").asText(), headerValue == null || headerValue.isNull()
                        ? null : encoding.decode(headerValue.asText(), "header " + header.get("key").asText())));
            }
        }
        byte[] keyBytes = key == null || key.isNull() ? null : encoding.decode(textual(key, "key"), "key");
        return new NativeFrame.Produce(id, new ProduceRequest(text(node, "topic", true), keyBytes,
                encoding.decode(value.asText(), "value"), headers, true));
    }

    private static String textual(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw GatewayException.invalid("\"" + field + "\" must be a string");
        }
        return node.asText();
    }

    private static void only(JsonNode node, String... allowed) {
        Set<String> fields = Set.of(allowed);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw GatewayException.invalid("unknown field \"" + name + "\" in a " + node.get("type").asText()
                        + " frame; allowed: " + String.join(", ", allowed));
            }
        }
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw GatewayException.invalid("the frame needs \"" + field + "\"");
            }
            return null;
        }
        return textual(value, field);
    }

    private static long number(JsonNode node, String field, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || value.asLong() < min || value.asLong() > max) {
            throw GatewayException.invalid("\"" + field + "\" must be a whole number from " + min + " to " + max);
        }
        return value.asLong();
    }

    @Override
    public Buffer subscribed(Subscription subscription) {
        return write(json -> {
            json.writeStringField("type", "subscribed");
            json.writeStringField("group", subscription.group());
            json.writeArrayFieldStart("topics");
            for (String topic : subscription.topics()) {
                json.writeString(topic);
            }
            json.writeEndArray();
        });
    }

    @Override
    public Buffer message(ConsumedMessage m) {
        return write(json -> {
            json.writeStringField("type", "message");
            messageFields(json, m, new SerializedString(m.topic()));
        });
    }

    @Override
    public Buffer batch(List<ConsumedMessage> messages) {
        int estimate = 64;
        for (ConsumedMessage m : messages) {
            estimate += 120 + m.topic().length() + 4 * (length(m.key()) + length(m.value())) / 3;
        }
        return write(estimate, json -> {
            json.writeStringField("type", "messages");
            json.writeArrayFieldStart("messages");
            SerializedString topic = null;
            for (ConsumedMessage m : messages) {
                if (topic == null || !topic.getValue().equals(m.topic())) {
                    topic = new SerializedString(m.topic());
                }
                json.writeStartObject();
                messageFields(json, m, topic);
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private void messageFields(JsonGenerator json, ConsumedMessage m, SerializedString topic) throws IOException {
        json.writeFieldName(Names.TOPIC);
        json.writeString(topic);
        json.writeFieldName(Names.PARTITION);
        json.writeNumber(m.partition());
        json.writeFieldName(Names.OFFSET);
        json.writeNumber(m.offset());
        json.writeFieldName(Names.TIMESTAMP);
        json.writeNumber(m.timestamp());
        payload(json, Names.KEY, m.key());
        payload(json, Names.VALUE, m.value());
        json.writeFieldName(Names.HEADERS);
        json.writeStartArray();
        for (RecordHeader header : m.headers()) {
            json.writeStartObject();
            json.writeStringField("key", header.key());
            payload(json, Names.VALUE, header.value());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void payload(JsonGenerator json, SerializedString field, byte[] bytes) throws IOException {
        json.writeFieldName(field);
        if (bytes == null) {
            json.writeNull();
        } else {
            encoding.write(json, bytes);
        }
    }

    /** Field names of the message frames, encoded once. */
    private static final class Names {
        static final SerializedString TOPIC = new SerializedString("topic");
        static final SerializedString PARTITION = new SerializedString("partition");
        static final SerializedString OFFSET = new SerializedString("offset");
        static final SerializedString TIMESTAMP = new SerializedString("timestamp");
        static final SerializedString KEY = new SerializedString("key");
        static final SerializedString VALUE = new SerializedString("value");
        static final SerializedString HEADERS = new SerializedString("headers");
    }

    @Override
    public Buffer produced(String id, ProduceResult result) {
        return write(json -> {
            json.writeStringField("type", "produced");
            json.writeStringField("id", id);
            json.writeNumberField("partition", result.partition());
            json.writeNumberField("offset", result.offset());
        });
    }

    @Override
    public Buffer produceFailed(String id, GatewayException error) {
        return write(json -> {
            json.writeStringField("type", "produced");
            json.writeStringField("id", id);
            error(json, error);
        });
    }

    @Override
    public Buffer ackFailed(AckRequest ack, GatewayException error) {
        return write(json -> {
            json.writeStringField("type", "notice");
            json.writeObjectFieldStart("ack");
            json.writeStringField("topic", ack.topic());
            json.writeNumberField("partition", ack.partition());
            json.writeNumberField("offset", ack.offset());
            json.writeEndObject();
            error(json, error);
        });
    }

    @Override
    public Buffer unsubscribed(GatewayException error) {
        return write(json -> {
            json.writeStringField("type", "unsubscribed");
            if (error != null) {
                error(json, error);
            }
        });
    }

    @Override
    public Buffer error(GatewayException error) {
        return write(json -> {
            json.writeStringField("type", "error");
            error(json, error);
        });
    }

    private static void error(JsonGenerator json, GatewayException error) throws IOException {
        json.writeObjectFieldStart("error");
        json.writeStringField("code", error.code().name());
        json.writeStringField("message", error.getMessage());
        json.writeEndObject();
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static Buffer write(Fields fields) {
        return write(256, fields);
    }

    private static Buffer write(int estimate, Fields fields) {
        return JsonBuffers.write(estimate, json -> {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        });
    }
}
