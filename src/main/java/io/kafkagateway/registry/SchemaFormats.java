package io.kafkagateway.registry;

import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The schema types the registry takes, and parsing a schema with what it references, each reference resolved from
 * the registry's state (referenced schemas first, in the order their own references need).
 */
final class SchemaFormats {

    private final Map<String, SchemaFormat> formats = new LinkedHashMap<>();

    SchemaFormats(List<SchemaFormat> formats) {
        formats.forEach(f -> this.formats.put(f.type(), f));
    }

    List<String> types() {
        return new ArrayList<>(formats.keySet());
    }

    /** The type a request names, upper-cased; none given is AVRO, Confluent's default. */
    static String type(String given) {
        return given == null || given.isBlank() ? "AVRO" : given.trim().toUpperCase(Locale.ROOT);
    }

    /** Parses {@code schema}, its references looked up in {@code state}. */
    SchemaFormat.Parsed parse(SchemaCommand.Schema schema, SchemaState state) {
        SchemaFormat format = formats.get(schema.type());
        if (format == null) {
            throw RegistryErrors.invalidSchema("schemaType " + schema.type() + " is not one this registry takes ("
                    + String.join(", ", formats.keySet()) + ")");
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        resolve(schema.references(), state, resolved, 0);
        return format.parse(schema.schema(), resolved);
    }

    private static void resolve(List<SchemaReference> references, SchemaState state, Map<String, String> into, int depth) {
        if (depth > 32) {
            throw RegistryErrors.invalidSchema("references nest deeper than 32 levels (a cycle?)");
        }
        for (SchemaReference reference : references) {
            SchemaState.Version version = state.version(reference.subject(), reference.version());
            SchemaState.Stored stored = version == null ? null : state.byId(version.id());
            if (stored == null) {
                throw RegistryErrors.invalidSchema("reference '" + reference.name() + "' names subject '"
                        + reference.subject() + "' version " + reference.version() + ", which is not registered");
            }
            resolve(stored.schema().references(), state, into, depth + 1);
            into.putIfAbsent(reference.name(), stored.schema().schema());
        }
    }
}
