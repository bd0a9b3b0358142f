package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceRequest;
import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.schemas.AvroJson;
import io.kafkagateway.schemas.SchemaCache;
import io.kafkagateway.schemas.WireFormat;
import io.vertx.core.Future;
import org.apache.avro.Schema;

import java.util.List;

/**
 * Confluent's avro produce: the key and value schemas of the request (a schema, registered under the topic's
 * {@code <topic>-key} / {@code <topic>-value} subject, or the id of one), every record converted from Avro's JSON
 * encoding and checked against its schema before any is sent, and written in Confluent's wire format.
 */
final class AvroProduce {

    /** The records to send, and the schema ids the answer names (null: that side had none). */
    record Prepared(List<ProduceRequest> records, Integer keySchemaId, Integer valueSchemaId) {
    }

    private record Side(int id, Schema schema) {
    }

    private final SchemaCache schemas;

    AvroProduce(SchemaCache schemas) {
        this.schemas = schemas;
    }

    Future<Prepared> prepare(String topic, JsonNode body, Integer pathPartition) {
        try {
            ConfluentProduce.requireRecords(body);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(GatewayException.invalid(e.getMessage()));
        }
        boolean keys = has(body, "key");
        boolean values = has(body, "value");
        Future<Side> key = side(topic + "-key", body, "key", keys, 42201);
        Future<Side> value = key.compose(k -> side(topic + "-value", body, "value", values, 42202));
        return value.compose(v -> {
            Side k = key.result();
            try {
                List<ProduceRequest> records = ConfluentProduce.records(topic, body, pathPartition, encoder(k), encoder(v));
                return Future.succeededFuture(new Prepared(records, k == null ? null : k.id(), v == null ? null : v.id()));
            } catch (GatewayException refused) {
                return Future.failedFuture(refused);
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(GatewayException.invalid(e.getMessage()));
            }
        });
    }

    /** The schema of one side: {@code <side>_schema_id}, else {@code <side>_schema} (registered), else none. */
    private Future<Side> side(String subject, JsonNode body, String side, boolean data, int missingCode) {
        JsonNode id = body.get(side + "_schema_id");
        JsonNode text = body.get(side + "_schema");
        if (id != null && !id.isNull()) {
            if (!id.canConvertToInt() || !id.isIntegralNumber() || id.intValue() < 1) {
                return Future.failedFuture(GatewayException.invalid(side + "_schema_id must be a schema id (1 or more), not " + id));
            }
            return schemas.avro(id.intValue()).map(schema -> new Side(id.intValue(), schema)).recover(AvroProduce::registryFailure);
        }
        if (text != null && !text.isNull()) {
            if (!text.isTextual()) {
                return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST, 42205, "Invalid schema: "
                        + side + "_schema must be the schema as a JSON string, not " + text.getNodeType()));
            }
            return schemas.idFor(subject, new SchemaCommand.Schema("AVRO", text.textValue(), List.of()))
                    .compose(registered -> schemas.avro(registered).map(schema -> new Side(registered, schema)))
                    .recover(AvroProduce::registryFailure);
        }
        if (data) {
            return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST, missingCode, "Request includes "
                    + side + "s but does not include " + side + " schema"));
        }
        return Future.succeededFuture(null);
    }

    private static ConfluentProduce.Encoder encoder(Side side) {
        return (node, where) -> {
            try {
                return WireFormat.frame(side.id(), AvroJson.encode(side.schema(), node));
            } catch (IllegalArgumentException e) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, 42203, "Conversion of JSON to Avro failed: " + where
                        + " does not match schema " + side.id() + ": " + e.getMessage());
            }
        };
    }

    /** The registry's refusals in the REST Proxy's codes: an invalid schema 42205, the rest 42207; unavailable stays 503. */
    private static <T> Future<T> registryFailure(Throwable failure) {
        GatewayException error = GatewayException.from(failure);
        if (error.code() == ErrorCode.SERVICE_UNAVAILABLE || error.code() == ErrorCode.THROTTLING_QUOTA_EXCEEDED) {
            return Future.failedFuture(error);
        }
        if (error.detail() == 42201) {
            return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST, 42205, error.getMessage()));
        }
        return Future.failedFuture(new GatewayException(ErrorCode.INVALID_REQUEST, 42207, "Error serializing message."
                + " Error when registering or looking up the schema: " + error.getMessage()));
    }

    private static boolean has(JsonNode body, String field) {
        for (JsonNode record : body.path("records")) {
            if (record.hasNonNull(field)) {
                return true;
            }
        }
        return false;
    }
}
