package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceBatch;
import io.kafkagateway.core.ProduceRequest;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Confluent's produce: {@code POST /topics/{t}} and {@code POST /topics/{t}/partitions/{p}} with binary (base64) or
 * json embedded records. Every record is decoded before any is sent (one that does not decode refuses the request,
 * 422, nothing written); then all go to the engine's producer, synchronously, and each gets its own result.
 */
final class ConfluentProduce {

    private final ClusterClient clusters;
    private final String cluster;
    private final ConfluentMetadata metadata;
    /** The avro format, when the gateway has a schema registry; else null. */
    private final AvroProduce avro;

    ConfluentProduce(ClusterClient clusters, String cluster, ConfluentMetadata metadata, AvroProduce avro) {
        this.clusters = clusters;
        this.cluster = cluster;
        this.metadata = metadata;
        this.avro = avro;
    }

    void toTopic(RoutingContext ctx) {
        produce(ctx, null);
    }

    void toPartition(RoutingContext ctx) {
        Integer partition = ConfluentApi.partitionParam(ctx);
        if (partition != null) {
            produce(ctx, partition);
        }
    }

    private void produce(RoutingContext ctx, Integer pathPartition) {
        MediaTypes.Embedded format = format(ctx);
        if (format == null || !ConfluentApi.acceptsJson(ctx)) {
            return;
        }
        JsonNode body = ConfluentApi.body(ctx);
        if (body == null) {
            return;
        }
        String topic = ctx.pathParam("topic");
        Future<AvroProduce.Prepared> prepared;
        if (format == MediaTypes.Embedded.AVRO) {
            prepared = avro.prepare(topic, body, pathPartition);
        } else {
            try {
                prepared = Future.succeededFuture(new AvroProduce.Prepared(records(topic, body, format, pathPartition), null, null));
            } catch (IllegalArgumentException e) {
                ConfluentErrors.refuse(ctx, 422, 422, e.getMessage());
                return;
            }
        }
        AvroProduce.Prepared[] ready = new AvroProduce.Prepared[1];
        Future<List<ProduceBatch.Outcome>> sent = prepared.compose(p -> {
            ready[0] = p;
            boolean explicit = p.records().stream().anyMatch(r -> r.partition() != ProduceRequest.ANY_PARTITION);
            // A partition the topic lacks would wait in the producer for metadata that never comes: checked first.
            Future<Void> checked = explicit ? checkPartitions(topic, p.records()) : Future.succeededFuture();
            return checked.compose(ok -> send(p.records()));
        });
        ConfluentApi.then(ctx, sent, outcomes -> {
            ObjectNode answer = ConfluentErrors.MAPPER.createObjectNode();
            ArrayNode offsets = answer.putArray("offsets");
            for (ProduceBatch.Outcome outcome : outcomes) {
                ObjectNode o = offsets.addObject();
                if (outcome.error() == null) {
                    o.put("partition", outcome.result().partition()).put("offset", outcome.result().offset())
                            .putNull("error_code").putNull("error");
                } else {
                    GatewayException error = outcome.error();
                    boolean retriable = error.code() == ErrorCode.THROTTLING_QUOTA_EXCEEDED
                            || error.code() == ErrorCode.SERVICE_UNAVAILABLE;
                    o.putNull("partition").putNull("offset").put("error_code", retriable ? 50003 : 50002)
                            .put("error", error.getMessage());
                }
            }
            putId(answer, "key_schema_id", ready[0].keySchemaId());
            putId(answer, "value_schema_id", ready[0].valueSchemaId());
            ConfluentApi.answer(ctx, 200, answer);
        });
    }

    private static void putId(ObjectNode answer, String field, Integer id) {
        if (id == null) {
            answer.putNull(field);
        } else {
            answer.put(field, id);
        }
    }

    /** The request's embedded format; null after a 415 when the endpoint does not take its Content-Type. */
    private MediaTypes.Embedded format(RoutingContext ctx) {
        MediaTypes type = MediaTypes.parse(ctx.request().getHeader("Content-Type"));
        switch (type.kind()) {
            case KAFKA:
                switch (type.embedded()) {
                    case BINARY, JSON:
                        return type.embedded();
                    case NONE:
                        return MediaTypes.Embedded.BINARY;
                    case AVRO:
                        if (avro != null) {
                            return type.embedded();
                        }
                        ConfluentErrors.refuse(ctx, 415, 415, "the avro embedded format needs a schema registry, and"
                                + " this gateway has none (schema_registry.addr is empty); produce binary or json");
                        return null;
                    case JSONSCHEMA, PROTOBUF:
                        ConfluentErrors.refuse(ctx, 415, 415, "the " + type.embedded().name().toLowerCase(java.util.Locale.ROOT)
                                + " embedded format is not supported by this gateway yet; produce avro, binary or json");
                        return null;
                    default:
                        break;
                }
                break;
            case JSON, OCTET_STREAM:
                return MediaTypes.Embedded.BINARY; // Confluent's generic types mean binary records
            default:
                break;
        }
        ConfluentErrors.refuse(ctx, 415, 415, "HTTP 415 Unsupported Media Type");
        return null;
    }

    /** The records of the body, decoded. @throws IllegalArgumentException naming what is wrong */
    static List<ProduceRequest> records(String topic, JsonNode body, MediaTypes.Embedded format, Integer pathPartition) {
        requireRecords(body);
        if (body.hasNonNull("value_schema") || body.hasNonNull("key_schema") || body.hasNonNull("value_schema_id")
                || body.hasNonNull("key_schema_id")) {
            throw new IllegalArgumentException("schemas belong to the avro, jsonschema and protobuf formats; the "
                    + format.name().toLowerCase(java.util.Locale.ROOT) + " format takes none");
        }
        return records(topic, body, pathPartition, (node, where) -> bytes(node, format, where),
                (node, where) -> bytes(node, format, where));
    }

    /** Turns a record's key or value into bytes; {@code where} names it in an error. */
    interface Encoder {
        byte[] encode(JsonNode node, String where);
    }

    static void requireRecords(JsonNode body) {
        if (!body.isObject() || !body.path("records").isArray() || body.path("records").isEmpty()) {
            throw new IllegalArgumentException("the body must be an object with a non-empty \"records\" array");
        }
    }

    /** The records of the body, keys and values turned into bytes by the encoders (not called for null ones). */
    static List<ProduceRequest> records(String topic, JsonNode body, Integer pathPartition, Encoder keys, Encoder values) {
        List<ProduceRequest> records = new ArrayList<>();
        int index = 0;
        for (JsonNode record : body.path("records")) {
            String where = "records[" + index++ + "]";
            if (!record.isObject()) {
                throw new IllegalArgumentException(where + " must be an object with \"value\" (and \"key\", \"partition\")");
            }
            int partition = ProduceRequest.ANY_PARTITION;
            if (pathPartition != null) {
                partition = pathPartition;
            } else if (record.hasNonNull("partition")) {
                JsonNode p = record.get("partition");
                if (!p.canConvertToInt() || !p.isIntegralNumber() || p.intValue() < 0) {
                    throw new IllegalArgumentException(where + ".partition must be a partition number, not " + p);
                }
                partition = p.intValue();
            }
            JsonNode key = record.get("key");
            JsonNode value = record.get("value");
            records.add(new ProduceRequest(topic, key == null || key.isNull() ? null : keys.encode(key, where + ".key"),
                    value == null || value.isNull() ? null : values.encode(value, where + ".value"), List.of(), true, partition));
        }
        return records;
    }

    private static byte[] bytes(JsonNode node, MediaTypes.Embedded format, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (format == MediaTypes.Embedded.JSON) {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(where + " must be a base64 string in the binary format, not " + node.getNodeType());
        }
        try {
            return Base64.getDecoder().decode(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not base64: " + e.getMessage());
        }
    }

    private Future<Void> checkPartitions(String topic, List<ProduceRequest> records) {
        return metadata.describe(topic, false).compose(t -> {
            for (ProduceRequest r : records) {
                if (r.partition() != ProduceRequest.ANY_PARTITION && r.partition() >= t.partitions().size()) {
                    return Future.failedFuture(new GatewayException(ErrorCode.UNKNOWN_PARTITION, "Partition not found."));
                }
            }
            return Future.succeededFuture();
        });
    }

    /** In batches of the engine's size, one after another (so that order within a partition holds); outcomes in order. */
    private Future<List<ProduceBatch.Outcome>> send(List<ProduceRequest> records) {
        Future<List<ProduceBatch.Outcome>> all = Future.succeededFuture(new ArrayList<>());
        for (int from = 0; from < records.size(); from += ProduceBatch.MAX_MESSAGES) {
            ProduceBatch batch = new ProduceBatch(records.subList(from, Math.min(records.size(), from + ProduceBatch.MAX_MESSAGES)));
            all = all.compose(done -> clusters.produceBatch(cluster, batch).map(result -> {
                done.addAll(result.outcomes());
                return done;
            }));
        }
        return all;
    }
}
