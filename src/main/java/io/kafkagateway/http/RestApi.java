package io.kafkagateway.http;

import io.kafkagateway.bus.ClusterClient;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Map;

/** The REST routes, each under {@code /topics/...} (default cluster) and {@code /clusters/{cluster}/topics/...}. */
final class RestApi {

    /** Bodies of requests that carry no message (acks as a form, offsets as JSON). */
    private static final long SMALL_BODY_BYTES = 1024 * 1024;

    private RestApi() {
    }

    static Router router(Vertx vertx, ClusterClient clusters, BodyBudget budget, long maxBodyBytes) {
        Router router = Router.router(vertx);
        ProduceHandler produce = new ProduceHandler(clusters);
        TopicsHandler topics = new TopicsHandler(clusters);
        ConsumeHandlers consume = new ConsumeHandlers(clusters);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        BodyHandler smallBody = BodyHandler.create(false).setBodyLimit(SMALL_BODY_BYTES);

        for (String prefix : new String[] {"", "/clusters/:cluster"}) {
            router.post(prefix + "/topics/:topic/messages").handler(budget).handler(body).handler(produce);
            router.get(prefix + "/topics").handler(topics::list);
            router.get(prefix + "/topics/:topic").handler(topics::one);
            router.get(prefix + "/topics/:topic/messages").handler(consume::consume);
            router.post(prefix + "/topics/:topic/acks").handler(smallBody).handler(consume::ack);
            router.get(prefix + "/topics/:topic/offsets").handler(consume::offsets);
            router.post(prefix + "/topics/:topic/offsets").handler(smallBody).handler(consume::setOffsets);
            router.get(prefix + "/topics/:topic/consumers").handler(consume::consumers);
        }
        router.get("/_ping").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end("pong"));

        router.route().failureHandler(RestApi::failure);
        router.errorHandler(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(405, ctx -> error(ctx, 405, "method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
        // Failures the router meets while matching routes (bad percent-encoding in the path or query, say) still
        // answer JSON. The router does not record the failure on the context there, so the status is fixed here.
        router.errorHandler(400, ctx -> error(ctx, 400, ctx.failure() != null && ctx.failure().getMessage() != null
                ? ctx.failure().getMessage() : "malformed request: check the percent-encoding of the path and query string"));
        router.errorHandler(500, ctx -> {
            if (ctx.failure() != null) {
                renderFailure(ctx);
            } else {
                error(ctx, 500, "request failed");
            }
        });
        return router;
    }

    /** A client error the router or body handler found keeps its status; anything else goes to the renderer. */
    private static void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        Throwable failure = ctx.failure();
        if (status == 413) {
            error(ctx, 413, "request body is larger than this gateway accepts (producer.max_message_bytes)");
        } else if (status >= 400 && status < 500) {
            error(ctx, status, failure == null || failure.getMessage() == null ? "request could not be read" : failure.getMessage());
        } else if (failure != null) {
            renderFailure(ctx);
        } else {
            error(ctx, status > 0 ? status : 500, "request failed");
        }
    }

    private static void renderFailure(RoutingContext ctx) {
        HttpErrors.render(ctx, ctx.failure());
    }

    private static void error(RoutingContext ctx, int status, String message) {
        if (!ctx.response().headWritten()) {
            HttpErrors.send(ctx, status, Map.of("error", message));
        }
    }
}
