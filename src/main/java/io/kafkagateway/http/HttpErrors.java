package io.kafkagateway.http;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.Failures;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** The REST API's one place that turns a gateway error into a status code and a {@code {"error": ...}} body. */
public final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /** The REST API's status for {@code code}; the WebSocket close codes are 4000 plus it. */
    public static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, OFFSET_OUT_OF_RANGE -> 400;
            case UNKNOWN_TOPIC_OR_PARTITION -> 404;
            case REQUEST_TIMED_OUT -> 408;
            case RECORD_TOO_LARGE -> 413;
            case THROTTLING_QUOTA_EXCEEDED -> 429;
            case PARTITION_NOT_OWNED, NON_EMPTY_GROUP -> 409;
            case SERVICE_UNAVAILABLE -> 503;
            case KAFKA_ERROR, UNKNOWN_SERVER_ERROR -> 500;
        };
    }

    static void render(RoutingContext ctx, Throwable failure) {
        GatewayException error = GatewayException.from(failure);
        String message = error.getMessage();
        if (error.code() == ErrorCode.UNKNOWN_SERVER_ERROR) {
            // A failure that came over the bus was logged where it happened.
            if (!(Failures.unwrap(failure) instanceof ReplyException)) {
                LOG.atError().addKeyValue("path", ctx.request().path()).setCause(failure).log("request failed unexpectedly");
            }
            message = "internal error; the gateway logged the details";
        }
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            return;
        }
        int status = status(error.code());
        if (status == 429) {
            response.putHeader("Retry-After", "1");
        } else if (status == 503) {
            response.putHeader("Retry-After", "5");
        }
        send(ctx, status, Map.of("error", message));
    }

    static void send(RoutingContext ctx, int status, Object body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Json.encode(body));
    }
}
