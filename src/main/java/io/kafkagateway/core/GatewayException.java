package io.kafkagateway.core;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

import java.util.Objects;

/**
 * The gateway's one error type: a code and a message a client can act on. Raised anywhere, rendered at each edge.
 */
public final class GatewayException extends RuntimeException {

    /** Bus failure codes at or above this carry a detail: code / DETAIL_BASE is the bus code, the rest the detail. */
    private static final int DETAIL_BASE = 100_000;

    private final ErrorCode code;
    private final int detail;

    public GatewayException(ErrorCode code, String message) {
        this(code, 0, message);
    }

    /**
     * An error with a {@code detail}: the finer code of the API it concerns (a Schema Registry error code such as
     * 40401 subject not found, 0..99999), which that API's edge renders; every other edge sees only {@code code}.
     */
    public GatewayException(ErrorCode code, int detail, String message) {
        super(Objects.requireNonNull(message), null, false, false);
        if (detail < 0 || detail >= DETAIL_BASE) {
            throw new IllegalArgumentException("detail " + detail);
        }
        this.code = Objects.requireNonNull(code);
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    /** The API's finer code, or 0. */
    public int detail() {
        return detail;
    }

    /** The failure code of an event-bus reply carrying this error, its detail included. */
    public int busCode() {
        return detail == 0 ? code.busCode() : code.busCode() * DETAIL_BASE + detail;
    }

    public static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_REQUEST, message);
    }

    public static GatewayException unknownTopic(String topic) {
        return new GatewayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "Unknown topic: " + topic);
    }

    public static GatewayException unavailable(String message) {
        return new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, message);
    }

    public static GatewayException throttled(String message) {
        return new GatewayException(ErrorCode.THROTTLING_QUOTA_EXCEEDED, message);
    }

    /**
     * Translates any failure (an event-bus reply failure, a Kafka client exception, a bug) into the gateway's error
     * type, so that the edges only ever render one kind of error.
     */
    public static GatewayException from(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof GatewayException gateway) {
            return gateway;
        }
        if (cause instanceof ReplyException reply) {
            if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                int busCode = reply.failureCode();
                return busCode >= DETAIL_BASE
                        ? new GatewayException(ErrorCode.fromBusCode(busCode / DETAIL_BASE), busCode % DETAIL_BASE,
                        String.valueOf(reply.getMessage()))
                        : new GatewayException(ErrorCode.fromBusCode(busCode), String.valueOf(reply.getMessage()));
            }
            if (reply.failureType() == ReplyFailure.TIMEOUT) {
                return unavailable("Kafka did not answer in time");
            }
            return unavailable("the cluster's Kafka client is not running");
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new GatewayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, cause.getMessage());
        }
        if (cause instanceof org.apache.kafka.clients.consumer.OffsetOutOfRangeException
                || cause instanceof org.apache.kafka.common.errors.OffsetOutOfRangeException) {
            return new GatewayException(ErrorCode.OFFSET_OUT_OF_RANGE, cause.getMessage());
        }
        if (cause instanceof org.apache.kafka.common.errors.OffsetMetadataTooLarge
                || cause instanceof org.apache.kafka.common.errors.InvalidTopicException
                || cause instanceof org.apache.kafka.common.errors.InvalidGroupIdException) {
            // Refused for what the client sent; the gateway checks these first, so only a stricter broker gets here.
            return invalid(Errors.forException(cause).name() + ": " + cause.getMessage());
        }
        if (cause instanceof RecordTooLargeException) {
            return new GatewayException(ErrorCode.RECORD_TOO_LARGE, cause.getMessage());
        }
        if (cause instanceof BufferExhaustedException) {
            return throttled("the producer's buffer (buffer.memory) is full; retry shortly");
        }
        if (cause instanceof TimeoutException) {
            return unavailable("Kafka did not answer in time: " + cause.getMessage());
        }
        if (cause instanceof ApiException) {
            return new GatewayException(ErrorCode.KAFKA_ERROR, Errors.forException(cause).name() + ": " + cause.getMessage());
        }
        return new GatewayException(ErrorCode.UNKNOWN_SERVER_ERROR, String.valueOf(cause));
    }
}
