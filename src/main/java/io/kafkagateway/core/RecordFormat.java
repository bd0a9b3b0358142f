package io.kafkagateway.core;

/** How a consumer instance's keys and values are rendered; the engine checks a record can be before returning it. */
public enum RecordFormat {
    /** Any bytes (rendered base64). */
    BINARY,
    /** Each non-null key and value must be a JSON document. */
    JSON
}
