package io.kafkagateway.instances;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.core.RecordFormat;

import java.io.IOException;

/** Whether a record can be returned in an instance's format: with {@code json}, key and value must each be one JSON document. */
final class RecordChecks {

    private static final JsonFactory JSON = new JsonFactory();

    private RecordChecks() {
    }

    static boolean renderable(InstanceReply.Record record, RecordFormat format) {
        return switch (format) {
            case BINARY -> true;
            case JSON -> json(record.key()) && json(record.value());
            case AVRO -> framed(record.key()) && framed(record.value());
        };
    }

    private static boolean framed(byte[] bytes) {
        return bytes == null || io.kafkagateway.schemas.WireFormat.framed(bytes);
    }

    static GatewayException undecodable(InstanceReply.Record record, RecordFormat format) {
        return new GatewayException(ErrorCode.UNDECODABLE_RECORD, "the record at offset " + record.offset()
                + " of partition " + record.partition() + " of topic " + record.topic() + " is not "
                + format.name().toLowerCase(java.util.Locale.ROOT) + (format == RecordFormat.AVRO
                ? " (its key or value does not start with the schema registry's magic byte and schema id)"
                : " (its key or value does not parse)") + "; it stays"
                + " there: read it with a binary consumer instance, or move past it with POST .../positions");
    }

    /** One complete JSON document (null bytes are a null key or value, which renders as null). */
    private static boolean json(byte[] bytes) {
        if (bytes == null) {
            return true;
        }
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
