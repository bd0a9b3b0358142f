package io.kafkagateway.core;

/** How a consumer instance's keys and values are rendered; the engine checks a record can be before returning it. */
public enum RecordFormat {
    /** Any bytes (rendered base64). */
    BINARY,
    /** Each non-null key and value must be a JSON document. */
    JSON,
    /**
     * Each non-null key and value must be in Confluent's wire format (magic byte, schema id) with an Avro schema of the
     * registry; the engine checks the framing, the front-end decodes with the registry's schema.
     */
    AVRO
}
