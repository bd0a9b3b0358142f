package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.core.RecordFormat;
import io.kafkagateway.core.RecordHeader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * Records as Confluent renders them ({@code topic}, {@code key}, {@code value}, {@code partition}, {@code offset}),
 * plus {@code timestamp} and {@code headers} ({@code [{"key", "value": base64}]}). Binary keys and values are base64;
 * json ones are embedded (the engine checked that they parse).
 */
final class RecordsView {

    private RecordsView() {
    }

    static ArrayNode render(InstanceReply.Records records, boolean withTopic) {
        return render(records, withTopic, null);
    }

    /** As above; {@code decoded} (avro) holds the keys and values as JSON, and how many records to render. */
    static ArrayNode render(InstanceReply.Records records, boolean withTopic, AvroRecords.Decoded decoded) {
        ArrayNode out = ConfluentErrors.MAPPER.createArrayNode();
        Base64.Encoder base64 = Base64.getEncoder();
        List<InstanceReply.Record> list = records.records();
        int count = decoded == null ? list.size() : decoded.count();
        for (int i = 0; i < count; i++) {
            InstanceReply.Record r = list.get(i);
            ObjectNode node = out.addObject();
            if (withTopic) {
                node.put("topic", r.topic());
            }
            if (decoded != null) {
                node.set("key", decoded.keys().get(i));
                node.set("value", decoded.values().get(i));
            } else {
                put(node, "key", r.key(), records.format());
                put(node, "value", r.value(), records.format());
            }
            node.put("partition", r.partition()).put("offset", r.offset()).put("timestamp", r.timestamp());
            ArrayNode headers = node.putArray("headers");
            for (RecordHeader h : r.headers()) {
                ObjectNode header = headers.addObject().put("key", h.key());
                if (h.value() == null) {
                    header.putNull("value");
                } else {
                    header.put("value", base64.encodeToString(h.value()));
                }
            }
        }
        return out;
    }

    private static void put(ObjectNode node, String field, byte[] bytes, RecordFormat format) {
        if (bytes == null) {
            node.putNull(field);
        } else if (format == RecordFormat.JSON) {
            try {
                node.set(field, ConfluentErrors.MAPPER.readTree(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // the engine checked it parses
            }
        } else {
            node.put(field, Base64.getEncoder().encodeToString(bytes));
        }
    }
}
