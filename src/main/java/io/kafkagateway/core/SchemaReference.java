package io.kafkagateway.core;

import java.util.Objects;

/** A schema's reference to another: the name it imports it by, and the subject version that holds it. */
public record SchemaReference(String name, String subject, int version) {
    public SchemaReference {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
    }
}
