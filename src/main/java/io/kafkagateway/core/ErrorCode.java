package io.kafkagateway.core;

/**
 * Why a gateway operation failed. Names follow Kafka's own {@code Errors} where one fits; each front-end maps a code
 * to its protocol in exactly one place (REST and WebSocket: {@link #httpStatus()}; gRPC: {@code GrpcErrors}).
 */
public enum ErrorCode {
    /** A parameter, header or body is malformed or missing; the message names it. */
    INVALID_REQUEST,
    /** The topic (or partition) does not exist in the cluster. */
    UNKNOWN_TOPIC_OR_PARTITION,
    /** The message is larger than the cluster's {@code producer.max_message_bytes}. */
    RECORD_TOO_LARGE,
    /** A read asked for an offset the partition does not hold (past its end, or before its beginning). */
    OFFSET_OUT_OF_RANGE,
    /** A long poll waited its whole timeout without a message. */
    REQUEST_TIMED_OUT,
    /** A bounded queue is full; the client should retry later. */
    THROTTLING_QUOTA_EXCEEDED,
    /** The partition is consumed by another member of the group, which will offer its messages again. */
    PARTITION_NOT_OWNED,
    /** The group has active members elsewhere, so its offsets cannot be moved from here. */
    NON_EMPTY_GROUP,
    /** The gateway is stopping, the feature is disabled, or Kafka cannot be reached. */
    SERVICE_UNAVAILABLE,
    /** Kafka refused the request; the message carries Kafka's error name. */
    KAFKA_ERROR,
    /** A fault inside the gateway. */
    UNKNOWN_SERVER_ERROR,
    /** The topic exists, the partition does not. */
    UNKNOWN_PARTITION,
    /** A named resource of the gateway (a consumer instance) does not exist. */
    RESOURCE_NOT_FOUND,
    /** A named resource of the gateway (a consumer instance) exists already. */
    ALREADY_EXISTS,
    /** The request contradicts the resource's state (a subscription beside a manual assignment, or the reverse). */
    CONFLICTING_STATE,
    /** A record cannot be rendered in the format asked for (not JSON, say); it stays where it is. */
    UNDECODABLE_RECORD,
    /** The answer cannot be given in the form asked for (records in a format their consumer instance does not use). */
    NOT_ACCEPTABLE;

    private static final ErrorCode[] VALUES = values();

    /**
     * The HTTP status for this code: what the REST API answers, WebSocket handshakes refuse with, and (plus 4000) the
     * close code of a WebSocket that ends with it.
     */
    public int httpStatus() {
        return switch (this) {
            case INVALID_REQUEST, OFFSET_OUT_OF_RANGE -> 400;
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_PARTITION, RESOURCE_NOT_FOUND -> 404;
            case REQUEST_TIMED_OUT -> 408;
            case NOT_ACCEPTABLE -> 406;
            case RECORD_TOO_LARGE -> 413;
            case THROTTLING_QUOTA_EXCEEDED -> 429;
            case PARTITION_NOT_OWNED, NON_EMPTY_GROUP, ALREADY_EXISTS, CONFLICTING_STATE -> 409;
            case SERVICE_UNAVAILABLE -> 503;
            case KAFKA_ERROR, UNKNOWN_SERVER_ERROR, UNDECODABLE_RECORD -> 500;
        };
    }

    /**
     * The failure code carried by an event-bus reply. Offset so it cannot collide with Vert.x's own small codes; new
     * codes go last, so that gateways of two versions (clustered) still understand each other's codes.
     */
    public int busCode() {
        return 4000 + ordinal();
    }

    public static ErrorCode fromBusCode(int code) {
        int index = code - 4000;
        return index >= 0 && index < VALUES.length ? VALUES[index] : UNKNOWN_SERVER_ERROR;
    }
}
