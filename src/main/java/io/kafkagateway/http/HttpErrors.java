package io.kafkagateway.http;

import io.kafkagateway.core.GatewayException;
import io.kafkagateway.net.EdgeFailures;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** The REST API's one place that turns a gateway error into a status code and a {@code {"error": ...}} body. */
final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    static void render(RoutingContext ctx, Throwable failure) {
        if (EdgeFailures.clientGone(failure)) {
            LOG.atDebug().addKeyValue("path", ctx.request().path()).log("client connection closed before the answer");
            return;
        }
        GatewayException error = GatewayException.from(failure);
        String message = EdgeFailures.clientMessage(error, failure, LOG, ctx.request().path());
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            return;
        }
        int status = error.code().httpStatus();
        if (status == 429) {
            response.putHeader("Retry-After", "1");
        } else if (status == 503) {
            response.putHeader("Retry-After", "5");
        }
        send(ctx, status, Map.of("error", message));
    }

    /** Writes the answer; the future fails when it could not be written (the client went away). */
    static Future<Void> send(RoutingContext ctx, int status, Object body) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return Future.failedFuture("the response can no longer be written");
        }
        return ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Json.encode(body));
    }
}
