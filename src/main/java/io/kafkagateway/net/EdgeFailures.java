package io.kafkagateway.net;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.Failures;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;

/** What every HTTP edge does with a failure before rendering it in its API's terms. */
public final class EdgeFailures {

    private EdgeFailures() {
    }

    /** The client hung up (or its connection was closed for it): nobody to answer, nothing wrong here. */
    public static boolean clientGone(Throwable failure) {
        return Failures.unwrap(failure) instanceof HttpClosedException;
    }

    /**
     * The message a client may see for {@code error}: its own, except for a fault inside the gateway, which is logged
     * here (unless it came over the bus, where it was logged already) and shown as a pointer to the log.
     */
    public static String clientMessage(GatewayException error, Throwable failure, Logger log, String path) {
        if (error.code() != ErrorCode.UNKNOWN_SERVER_ERROR) {
            return error.getMessage();
        }
        if (!(Failures.unwrap(failure) instanceof ReplyException)) {
            log.atError().addKeyValue("path", path).setCause(failure).log("request failed unexpectedly");
        }
        return "internal error; the gateway logged the details";
    }

    /**
     * Answers {@code {"error_code": errorCode, "message": message}} with {@code status}, the body type Confluent's APIs
     * use; 429 and 503 say when to retry. Nothing when the answer has begun or the client left.
     */
    public static void errorBody(RoutingContext ctx, int status, int errorCode, String message, String contentType) {
        if (ctx.response().headWritten() || ctx.response().closed()) {
            return;
        }
        if (status == 429) {
            ctx.response().putHeader("Retry-After", "1");
        } else if (status == 503) {
            ctx.response().putHeader("Retry-After", "5");
        }
        String body = "{\"error_code\":" + errorCode + ",\"message\":" + io.vertx.core.json.Json.encode(message) + "}";
        ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(Buffer.buffer(body));
    }
}
