package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.core.RecordFormat;

import java.util.Locale;

/**
 * The body of Confluent's consumer creation: {@code name}, {@code format}, {@code auto.offset.reset} (v1 also
 * {@code smallest} / {@code largest}), {@code auto.commit.enable} (a string, as Confluent writes it, or a boolean),
 * {@code fetch.min.bytes}, {@code consumer.request.timeout.ms}.
 */
record InstanceConfig(String name, RecordFormat format, String offsetReset, boolean autoCommit, int fetchMinBytes,
                      long requestTimeoutMillis) {

    /** A body Confluent refuses, with its error code (42204: invalid consumer configuration). */
    static final class Invalid extends RuntimeException {
        final int errorCode;

        Invalid(int errorCode, String message) {
            super(message, null, false, false);
            this.errorCode = errorCode;
        }
    }

    /** {@code registry}: whether the gateway has a schema registry (the avro format needs one). */
    static InstanceConfig parse(JsonNode body, boolean v1, boolean registry) {
        if (!body.isMissingNode() && !body.isObject()) {
            throw new Invalid(422, "the body must be an object, like {\"name\": \"c1\", \"format\": \"json\"}");
        }
        String name = body.hasNonNull("name") ? body.get("name").asText() : null;
        String formatName = body.hasNonNull("format") ? body.get("format").asText().toLowerCase(Locale.ROOT) : "binary";
        RecordFormat format = switch (formatName) {
            case "binary" -> RecordFormat.BINARY;
            case "json" -> RecordFormat.JSON;
            case "avro" -> {
                if (!registry) {
                    throw new Invalid(42204, "the avro format needs a schema registry, and this gateway has none"
                            + " (schema_registry.addr is empty); use binary or json");
                }
                yield RecordFormat.AVRO;
            }
            case "jsonschema", "protobuf" -> throw new Invalid(42204, "the " + formatName
                    + " format is not supported by this gateway yet; use avro, binary or json");
            default -> throw new Invalid(42204, "Invalid consumer configuration: format '" + formatName
                    + "' is not one of binary, json, avro, jsonschema, protobuf");
        };
        String reset = body.hasNonNull("auto.offset.reset") ? body.get("auto.offset.reset").asText() : "latest";
        if (v1 && reset.equals("smallest")) {
            reset = "earliest";
        } else if (v1 && reset.equals("largest")) {
            reset = "latest";
        }
        if (!reset.equals("earliest") && !reset.equals("latest") && !reset.equals("none")) {
            throw new Invalid(42204, "Invalid consumer configuration: auto.offset.reset '" + reset + "' is not one of"
                    + " earliest, latest, none" + (v1 ? " (or smallest, largest)" : " (smallest and largest are v1's)"));
        }
        boolean autoCommit = true;
        if (body.hasNonNull("auto.commit.enable")) {
            String value = body.get("auto.commit.enable").asText().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new Invalid(42204, "Invalid consumer configuration: auto.commit.enable must be \"true\" or \"false\"");
            }
            autoCommit = value.equals("true");
        }
        return new InstanceConfig(name, format, reset, autoCommit, (int) number(body, "fetch.min.bytes", Integer.MAX_VALUE),
                number(body, "consumer.request.timeout.ms", Long.MAX_VALUE));
    }

    /** A non-negative number given as a number or a string; 0 when absent. */
    private static long number(JsonNode body, String field, long max) {
        if (!body.hasNonNull(field)) {
            return 0;
        }
        try {
            long value = Long.parseLong(body.get(field).asText().trim());
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Invalid(42204, "Invalid consumer configuration: " + field + " must be a whole number (0 or more), not "
                + body.get(field));
    }
}
