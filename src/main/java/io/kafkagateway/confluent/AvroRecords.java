package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.InstanceCommand;
import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.schemas.AvroJson;
import io.kafkagateway.schemas.SchemaCache;
import io.kafkagateway.schemas.WireFormat;
import io.vertx.core.Future;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An avro consumer instance's records decoded to JSON with the registry's schemas (each id fetched once), as
 * Confluent's REST Proxy renders them. A record that does not decode (its schema id unknown to the registry, or its
 * bytes not data of that schema) ends the answer before it; the instance is moved back to it, so that it is never
 * skipped: the next request fails on it, until the client moves past it.
 */
final class AvroRecords {

    /** Keys and values of the first {@code count} records; {@code failure} names the record that ended them, if any. */
    record Decoded(List<JsonNode> keys, List<JsonNode> values, int count, GatewayException failure) {
    }

    private final SchemaCache schemas;

    AvroRecords(SchemaCache schemas) {
        this.schemas = schemas;
    }

    Future<Decoded> decode(InstanceReply.Records records) {
        Map<Integer, Future<Schema>> wanted = new LinkedHashMap<>();
        for (InstanceReply.Record r : records.records()) {
            for (byte[] bytes : new byte[][]{r.key(), r.value()}) {
                if (bytes != null && WireFormat.framed(bytes)) {
                    wanted.computeIfAbsent(WireFormat.id(bytes), id -> schemas.avro(id));
                }
            }
        }
        return Future.join(new ArrayList<>(wanted.values())).transform(all -> {
            Map<Integer, Future<Schema>> known = new HashMap<>(wanted);
            List<JsonNode> keys = new ArrayList<>();
            List<JsonNode> values = new ArrayList<>();
            List<InstanceReply.Record> list = records.records();
            for (int i = 0; i < list.size(); i++) {
                InstanceReply.Record r = list.get(i);
                try {
                    JsonNode key = field(r.key(), known);
                    JsonNode value = field(r.value(), known);
                    keys.add(key);
                    values.add(value);
                } catch (IllegalArgumentException e) {
                    return Future.succeededFuture(new Decoded(keys, values, i, new GatewayException(ErrorCode.UNDECODABLE_RECORD,
                            "the record at offset " + r.offset() + " of partition " + r.partition() + " of topic " + r.topic()
                                    + " cannot be read as avro: " + e.getMessage() + "; it stays there: read it with a"
                                    + " binary consumer instance, or move past it with POST .../positions")));
                }
            }
            return Future.succeededFuture(new Decoded(keys, values, list.size(), null));
        });
    }

    /** Where each partition of the records from {@code from} on starts: the positions to go back to. */
    static List<InstanceCommand.Offset> positionsFrom(InstanceReply.Records records, int from) {
        Map<String, InstanceCommand.Offset> first = new LinkedHashMap<>();
        List<InstanceReply.Record> list = records.records();
        for (int i = from; i < list.size(); i++) {
            InstanceReply.Record r = list.get(i);
            first.putIfAbsent(r.topic() + '\u0000' + r.partition(), new InstanceCommand.Offset(r.topic(), r.partition(), r.offset(), null));
        }
        return new ArrayList<>(first.values());
    }

    private static JsonNode field(byte[] bytes, Map<Integer, Future<Schema>> known) {
        if (bytes == null) {
            return NullNode.getInstance();
        }
        if (!WireFormat.framed(bytes)) {
            throw new IllegalArgumentException("it does not start with the schema registry's magic byte and schema id");
        }
        int id = WireFormat.id(bytes);
        Future<Schema> schema = known.get(id);
        if (schema == null || schema.failed()) {
            Throwable cause = schema == null ? null : schema.cause();
            throw new IllegalArgumentException("schema id " + id + " is not one the registry can give ("
                    + (cause == null ? "unknown" : GatewayException.from(cause).getMessage()) + ")");
        }
        return AvroJson.decode(schema.result(), bytes, WireFormat.HEADER);
    }
}
