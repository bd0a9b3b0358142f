package io.kafkagateway.http;

import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Bounds, by bytes, the request bodies one {@code http-api} instance holds at once, and refuses a declared body that
 * is too large before reading it. A body of unknown length (chunked) is counted at the largest size allowed.
 * A platform handler, like a timeout: it runs before the body is read. Confined to the instance's event loop.
 */
final class BodyBudget implements PlatformHandler {

    private final long budget;
    private final long maxMessageBytes;
    private final long maxFormBytes;
    private long reserved;

    BodyBudget(long budget, long maxMessageBytes, long maxFormBytes) {
        this.budget = budget;
        this.maxMessageBytes = maxMessageBytes;
        this.maxFormBytes = maxFormBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long limit = MessageBody.isForm(ctx.request().getHeader("Content-Type")) ? maxFormBytes : maxMessageBytes;
        long declared = declaredLength(ctx.request().getHeader("Content-Length"));
        if (declared > limit) {
            HttpErrors.send(ctx, 413, Map.of("error", "request body of " + declared + " bytes is larger than the "
                    + limit + " bytes this gateway accepts (producer.max_message_bytes)"));
            return;
        }
        long reserve = declared >= 0 ? declared : maxFormBytes;
        if (reserved + reserve > budget) {
            ctx.response().putHeader("Retry-After", "1");
            HttpErrors.send(ctx, 429, Map.of("error", "too many request bodies in progress"
                    + " (max_request_bytes_in_flight); retry shortly"));
            return;
        }
        reserved += reserve;
        ctx.addEndHandler(done -> reserved -= reserve);
        ctx.next();
    }

    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
