package io.kafkagateway.grpc;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.Failures;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC API's one place that turns a gateway error into a gRPC status, with Kafka-Pixy's codes: a long-poll
 * timeout is NOT_FOUND (clients loop on it), a full queue RESOURCE_EXHAUSTED, stopping or disabled UNAVAILABLE.
 */
public final class GrpcErrors {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);

    /** How the method at hand departs from the usual mapping, as Kafka-Pixy's server did. */
    public enum Call {
        /** Pixy answered an unknown topic with INVALID_ARGUMENT when producing. */
        PRODUCE,
        /** Pixy answered an unknown group, or a topic the group does not consume, with NOT_FOUND. */
        LIST_CONSUMERS,
        OTHER
    }

    private GrpcErrors() {
    }

    public static StatusException of(Throwable failure, Call call) {
        GatewayException error = GatewayException.from(failure);
        String message = error.getMessage();
        if (error.code() == ErrorCode.UNKNOWN_SERVER_ERROR) {
            if (!(Failures.unwrap(failure) instanceof ReplyException)) {
                LOG.atError().setCause(failure).log("gRPC call failed unexpectedly");
            }
            message = "internal error; the gateway logged the details";
        }
        return new StatusException(status(error.code(), call), message);
    }

    static GrpcStatus status(ErrorCode code, Call call) {
        return switch (code) {
            case INVALID_REQUEST -> call == Call.LIST_CONSUMERS ? GrpcStatus.NOT_FOUND : GrpcStatus.INVALID_ARGUMENT;
            case UNKNOWN_TOPIC_OR_PARTITION -> call == Call.PRODUCE ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.NOT_FOUND;
            case REQUEST_TIMED_OUT -> GrpcStatus.NOT_FOUND;
            case OFFSET_OUT_OF_RANGE -> GrpcStatus.OUT_OF_RANGE;
            case RECORD_TOO_LARGE -> GrpcStatus.INVALID_ARGUMENT;
            case THROTTLING_QUOTA_EXCEEDED -> GrpcStatus.RESOURCE_EXHAUSTED;
            case PARTITION_NOT_OWNED, NON_EMPTY_GROUP, CONFLICTING_STATE -> GrpcStatus.FAILED_PRECONDITION;
            case UNKNOWN_PARTITION, RESOURCE_NOT_FOUND -> GrpcStatus.NOT_FOUND;
            case ALREADY_EXISTS -> GrpcStatus.ALREADY_EXISTS;
            case NOT_ACCEPTABLE -> GrpcStatus.INVALID_ARGUMENT;
            case SERVICE_UNAVAILABLE -> GrpcStatus.UNAVAILABLE;
            case KAFKA_ERROR, UNKNOWN_SERVER_ERROR, UNDECODABLE_RECORD -> GrpcStatus.INTERNAL;
        };
    }

    /** An invalid-argument status raised before reaching a cluster (an unknown cluster, a negative ack). */
    public static StatusException invalid(String message) {
        return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
    }
}
