package io.kafkagateway.core;

import java.util.List;
import java.util.Objects;

/**
 * What a front-end asks of the schema registry (Confluent's Schema Registry model). Subjects are names, versions
 * count from 1 per subject, ids are global. A version given as text is a number or {@code latest} ({@code -1} too).
 * {@link #writes()} commands change the registry and are carried out by its one elected writer.
 */
public sealed interface SchemaCommand {

    /** Whether the command changes the registry. */
    default boolean writes() {
        return false;
    }

    /** A schema as a client sends it: {@code type} AVRO, JSON or PROTOBUF; references to other subjects' versions. */
    record Schema(String type, String schema, List<SchemaReference> references) {
        public Schema {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(schema, "schema");
            references = references == null ? List.of() : List.copyOf(references);
        }
    }

    /** Registers {@code schema} under {@code subject}, or answers the id it has there already. */
    record Register(String subject, Schema schema) implements SchemaCommand {
        @Override
        public boolean writes() {
            return true;
        }
    }

    /** Whether {@code schema} is registered under {@code subject}: its version and id. */
    record Lookup(String subject, Schema schema, boolean deleted) implements SchemaCommand {
    }

    record ById(int id) implements SchemaCommand {
    }

    /** The subjects and versions that use schema {@code id}. */
    record VersionsById(int id, boolean deleted) implements SchemaCommand {
    }

    record Subjects(String prefix, boolean deleted) implements SchemaCommand {
    }

    record Versions(String subject, boolean deleted) implements SchemaCommand {
    }

    record Version(String subject, String version, boolean deleted) implements SchemaCommand {
    }

    /** The ids of the schemas that reference this subject's version. */
    record ReferencedBy(String subject, String version, boolean deleted) implements SchemaCommand {
    }

    /** Soft-deletes the subject's versions, or removes them for good once soft-deleted ({@code permanent}). */
    record DeleteSubject(String subject, boolean permanent) implements SchemaCommand {
        @Override
        public boolean writes() {
            return true;
        }
    }

    record DeleteVersion(String subject, String version, boolean permanent) implements SchemaCommand {
        @Override
        public boolean writes() {
            return true;
        }
    }

    /** The compatibility level of {@code subject} (null: the global one). */
    record GetConfig(String subject, boolean defaultToGlobal) implements SchemaCommand {
    }

    record SetConfig(String subject, String compatibility) implements SchemaCommand {
        @Override
        public boolean writes() {
            return true;
        }
    }

    record DeleteConfig(String subject) implements SchemaCommand {
        @Override
        public boolean writes() {
            return true;
        }
    }

    /** The registry's mode (READWRITE, READONLY); {@code subject} null: the global one. A SetMode to null removes a subject's. */
    record GetMode(String subject) implements SchemaCommand {
    }

    record SetMode(String subject, String mode) implements SchemaCommand {
        @Override
        public boolean writes() {
            return true;
        }
    }

    /** Whether {@code schema} could be registered under {@code subject} against {@code version} (latest, or all as the level says). */
    record Check(String subject, String version, Schema schema, boolean verbose) implements SchemaCommand {
    }

    record Types() implements SchemaCommand {
    }
}
