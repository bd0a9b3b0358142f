package io.kafkagateway.registry;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;

/**
 * The registry's refusals, each with Confluent Schema Registry's error code as the error's detail (its HTTP status is
 * the code's first three digits, or the code itself when it has three).
 */
public final class RegistryErrors {

    private RegistryErrors() {
    }

    public static GatewayException subjectNotFound(String subject) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40401, "Subject '" + subject + "' not found.");
    }

    public static GatewayException versionNotFound(Object version) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40402, "Version " + version + " not found.");
    }

    public static GatewayException schemaNotFound(String what) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40403, what);
    }

    public static GatewayException subjectSoftDeleted(String subject) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40404, "Subject '" + subject
                + "' was soft deleted.Set permanent=true to delete permanently");
    }

    public static GatewayException subjectNotSoftDeleted(String subject) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40405, "Subject '" + subject
                + "' was not deleted first before being permanently deleted");
    }

    public static GatewayException versionSoftDeleted(String subject, int version) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40406, "Subject '" + subject + "' Version " + version
                + " was soft deleted. Set permanent=true to delete permanently");
    }

    public static GatewayException versionNotSoftDeleted(String subject, int version) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40407, "Subject '" + subject + "' Version " + version
                + " was not deleted first before being permanently deleted");
    }

    public static GatewayException subjectConfigNotFound(String subject) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40408, "Subject '" + subject
                + "' does not have subject-level compatibility configured");
    }

    public static GatewayException subjectModeNotFound(String subject) {
        return new GatewayException(ErrorCode.RESOURCE_NOT_FOUND, 40409, "Subject '" + subject
                + "' does not have subject-level mode configured");
    }

    public static GatewayException incompatible(String subject, java.util.List<String> messages) {
        return new GatewayException(ErrorCode.CONFLICTING_STATE, 409, "Schema being registered is incompatible with an"
                + " earlier schema for subject \"" + subject + "\", details: " + messages);
    }

    public static GatewayException invalidSchema(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, 42201, "Invalid schema: " + message);
    }

    public static GatewayException invalidVersion(String version) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    public static GatewayException invalidCompatibility(String level) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, 42203, "Invalid compatibility level '" + level
                + "'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and"
                + " full_transitive");
    }

    public static GatewayException invalidMode(String mode) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, 42204, "Invalid mode '" + mode
                + "'. Valid values here are READWRITE and READONLY");
    }

    public static GatewayException notPermitted(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, 42205, message);
    }

    public static GatewayException referenceExists(String subject, int version) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, 42206, "One or more references exist to the schema"
                + " {magic=1,keytype=SCHEMA,subject=" + subject + ",version=" + version + "}.");
    }

    /** The store could not be read or written (Kafka unavailable, the writer unknown). */
    public static GatewayException storeError(String message) {
        return new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, 50001, message);
    }

    public static GatewayException forwardingFailed(String message) {
        return new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, 50003, message);
    }
}
