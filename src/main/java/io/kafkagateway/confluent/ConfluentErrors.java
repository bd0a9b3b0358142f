package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.net.EdgeFailures;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent API's one place that renders an error: {@code {"error_code": N, "message": "..."}} with Confluent's
 * codes (40401 topic not found, 40402 partition not found, 40403 consumer instance not found, 40601 records in another
 * format than the instance's, 40902 instance exists, 40903 subscription beside an assignment, 42204 invalid consumer
 * configuration, 422 bad body, 50002 Kafka error, 50003 retriable Kafka error) or the HTTP status itself.
 */
final class ConfluentErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentErrors.class);
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfluentErrors() {
    }

    /** A refusal the front-end decides itself (a body, a media type), with Confluent's code. */
    static void refuse(RoutingContext ctx, int status, int errorCode, String message) {
        EdgeFailures.errorBody(ctx, status, errorCode, message, ConfluentApi.responseType(ctx));
    }

    /** Any failure from the engine, in Confluent's terms. */
    static void render(RoutingContext ctx, Throwable failure) {
        if (EdgeFailures.clientGone(failure)) {
            return;
        }
        GatewayException error = GatewayException.from(failure);
        String message = EdgeFailures.clientMessage(error, failure, LOG, ctx.request().path());
        // Confluent answers what it cannot process in a well-formed request with 422.
        int status = error.code() == ErrorCode.INVALID_REQUEST ? 422 : error.code().httpStatus();
        refuse(ctx, status, error.detail() != 0 ? error.detail() : code(error), message);
    }

    /** Confluent's error code for a gateway error. */
    static int code(GatewayException error) {
        return switch (error.code()) {
            case UNKNOWN_TOPIC_OR_PARTITION -> 40401;
            case UNKNOWN_PARTITION -> 40402;
            case RESOURCE_NOT_FOUND -> 40403;
            case NOT_ACCEPTABLE -> 40601;
            case ALREADY_EXISTS -> 40902;
            case CONFLICTING_STATE -> 40903;
            case INVALID_REQUEST -> 422;
            case KAFKA_ERROR, UNDECODABLE_RECORD -> 50002;
            case SERVICE_UNAVAILABLE -> 50003;
            default -> error.code().httpStatus();
        };
    }
}
