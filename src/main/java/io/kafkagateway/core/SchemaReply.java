package io.kafkagateway.core;

import java.util.List;

/** The schema registry's answers to {@link SchemaCommand}s. */
public sealed interface SchemaReply {

    /** A registered schema's id. */
    record Id(int id) implements SchemaReply {
    }

    /** One version of a subject. */
    record Registered(String subject, int version, int id, SchemaCommand.Schema schema) implements SchemaReply {
    }

    /** A schema by id (no subject). */
    record ById(SchemaCommand.Schema schema) implements SchemaReply {
    }

    record Names(List<String> names) implements SchemaReply {
    }

    record Numbers(List<Integer> numbers) implements SchemaReply {
    }

    record Number(int number) implements SchemaReply {
    }

    record SubjectVersion(String subject, int version) {
    }

    record SubjectVersions(List<SubjectVersion> versions) implements SchemaReply {
    }

    /** A compatibility level, and whether it was set ({@code set}) or the answer to a read. */
    record Compatibility(String compatibility, boolean set) implements SchemaReply {
    }

    record Mode(String mode) implements SchemaReply {
    }

    record Compatible(boolean compatible, List<String> messages) implements SchemaReply {
    }
}
