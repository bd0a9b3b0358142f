package io.kafkagateway.ws;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The WebSocket front-end's one place that renders a gateway error: before the upgrade as an HTTP status with
 * {@code {"error": ...}}, after it as a close code {@code 4000 + that status} (4400 bad request, 4404 unknown topic,
 * 4429 too many, 4503 unavailable, ...) with the message as the reason.
 */
final class WsErrors {

    private static final Logger LOG = LoggerFactory.getLogger(WsErrors.class);
    /** A close frame's reason may hold at most 123 bytes. */
    private static final int MAX_REASON_BYTES = 123;

    private WsErrors() {
    }

    /** The message a client may see; faults inside the gateway are logged and not described. */
    static String message(GatewayException error, Throwable failure) {
        if (error.code() == ErrorCode.UNKNOWN_SERVER_ERROR) {
            LOG.atError().setCause(failure).log("WebSocket request failed unexpectedly");
            return "internal error; the gateway logged the details";
        }
        return error.getMessage();
    }

    /** Refuses an upgrade request. */
    static void refuse(RoutingContext ctx, int status, String message) {
        if (ctx.response().headWritten()) {
            return;
        }
        if (status == 429 || status == 503) {
            ctx.response().putHeader("Retry-After", status == 429 ? "1" : "5");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new io.vertx.core.json.JsonObject().put("error", message).encode());
    }

    static void refuse(RoutingContext ctx, Throwable failure) {
        GatewayException error = GatewayException.from(failure);
        refuse(ctx, error.code().httpStatus(), message(error, failure));
    }

    /** Closes {@code socket} with the error's code and message. */
    static Future<Void> close(ServerWebSocket socket, Throwable failure) {
        GatewayException error = GatewayException.from(failure);
        return close(socket, (short) (4000 + error.code().httpStatus()), message(error, failure));
    }

    static Future<Void> close(ServerWebSocket socket, short code, String reason) {
        if (socket.isClosed()) {
            return Future.succeededFuture();
        }
        return socket.close(code, truncate(reason));
    }

    static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = MAX_REASON_BYTES - 3;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + "...";
    }
}
