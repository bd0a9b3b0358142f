package io.kafkagateway.confluent;

import io.kafkagateway.core.RecordFormat;

import java.util.List;
import java.util.Locale;

/**
 * The Accept header of a records request: Confluent's {@code application/vnd.kafka.{format}.v1|v2+json} names the
 * format the client expects (which must be its instance's); any type leaves it to the instance; anything else is 406.
 */
final class RecordsAccept {

    static final class Unacceptable extends RuntimeException {
        final int errorCode;

        Unacceptable(int errorCode, String message) {
            super(message, null, false, false);
            this.errorCode = errorCode;
        }
    }

    private RecordsAccept() {
    }

    /** The format asked for; null when any will do. */
    static RecordFormat expected(String accept) {
        List<MediaTypes> types = MediaTypes.accepted(accept);
        for (MediaTypes type : types) {
            if (type.kind() == MediaTypes.Kind.ANY) {
                return null;
            }
        }
        for (MediaTypes type : types) {
            if (type.kind() == MediaTypes.Kind.KAFKA) {
                switch (type.embedded()) {
                    case BINARY:
                        return RecordFormat.BINARY;
                    case JSON:
                        return RecordFormat.JSON;
                    case AVRO:
                        return RecordFormat.AVRO;
                    case JSONSCHEMA, PROTOBUF:
                        throw new Unacceptable(40601, "The requested embedded data format does not match the"
                                + " deserializer for this consumer instance (the " + type.embedded().name().toLowerCase(Locale.ROOT)
                                + " format is not supported by this gateway yet)");
                    default:
                        break;
                }
            }
        }
        throw new Unacceptable(406, "HTTP 406 Not Acceptable");
    }

    /** The Content-Type of a records answer in {@code format}, of the version of {@code responseType}. */
    static String type(RecordFormat format, String responseType) {
        String version = responseType.contains(".v1+") ? "v1" : "v2";
        return "application/vnd.kafka." + format.name().toLowerCase(Locale.ROOT) + "." + version + "+json";
    }
}
