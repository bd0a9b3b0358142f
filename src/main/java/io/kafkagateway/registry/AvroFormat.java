package io.kafkagateway.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Avro schemas, with Avro's own parser, canonical form ({@code Schema.toString()}) and reader/writer rules. */
public final class AvroFormat implements SchemaFormat {

    @Override
    public String type() {
        return "AVRO";
    }

    @Override
    public Parsed parse(String text, Map<String, String> references) {
        Schema.Parser parser = new Schema.Parser();
        List<Schema> referenced = new ArrayList<>();
        try {
            for (Map.Entry<String, String> reference : references.entrySet()) {
                referenced.add(parser.parse(reference.getValue()));
            }
            Schema schema = parser.parse(text);
            return new AvroSchema(schema, referenced);
        } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
            throw RegistryErrors.invalidSchema(String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // Avro's parser throws Jackson's and other runtime errors for text that is not JSON
            throw RegistryErrors.invalidSchema(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A parsed Avro schema; the schemas it references print by name in its canonical text, as they were given. */
    public record AvroSchema(Schema schema, List<Schema> referenced) implements Parsed {

        @Override
        public String canonical() {
            return referenced.isEmpty() ? schema.toString() : schema.toString(referenced, false);
        }

        @Override
        public List<String> readProblems(Parsed writer) {
            Schema written = ((AvroSchema) writer).schema();
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(schema, written);
            if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                return List.of();
            }
            List<String> problems = new ArrayList<>();
            for (SchemaCompatibility.Incompatibility i : result.getResult().getIncompatibilities()) {
                problems.add("{errorType:'" + i.getType() + "', description:'" + i.getMessage() + "', "
                        + "additionalInfo:'" + i.getMessage() + "', location:'" + i.getLocation() + "'}");
            }
            return problems;
        }
    }
}
