package io.kafkagateway.registry;

import java.util.List;
import java.util.Map;

/**
 * A schema language the registry takes (AVRO, JSON, PROTOBUF): parses a schema text, with the texts of the schemas it
 * references by name, into a {@link Parsed} schema; refusals are {@link RegistryErrors#invalidSchema}.
 */
public interface SchemaFormat {

    /** Confluent's name for the type: AVRO, JSON, PROTOBUF. */
    String type();

    /** Parses {@code text}; {@code references} maps each import name to its (already registered) schema text. */
    Parsed parse(String text, Map<String, String> references);

    /** A parsed schema. */
    interface Parsed {

        /** The text the registry stores and compares: the same schema always gives the same text. */
        String canonical();

        /**
         * Why data written with {@code writer} cannot be read with this schema as the reader (empty: it can). The
         * compatibility levels apply this one way or both.
         */
        List<String> readProblems(Parsed writer);
    }
}
