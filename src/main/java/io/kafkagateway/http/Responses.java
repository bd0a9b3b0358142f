package io.kafkagateway.http;

import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Runs a handler's work and answers 200 with its JSON, or the error; the shape every REST handler shares. */
final class Responses {

    private static final Map<String, Object> EMPTY = Map.of();

    private Responses() {
    }

    /** Answers with {@code work}'s value as JSON; a {@link GatewayException} thrown while building it is rendered. */
    static <T> void json(RoutingContext ctx, Supplier<Future<T>> work) {
        json(ctx, work, Function.identity());
    }

    static <T> void json(RoutingContext ctx, Supplier<Future<T>> work, Function<T, ?> view) {
        answer(ctx, work, view, (result, written) -> { });
    }

    /**
     * Answers 200 with {@code view} of the batch {@code work} took, and reports the write of the answer to the engine
     * (a message counts as delivered only once it was written; one the client did not stay for is offered again).
     */
    static void consumed(RoutingContext ctx, Supplier<Future<ConsumedBatch>> work, Function<ConsumedBatch, ?> view) {
        answer(ctx, work, view, ConsumedBatch::settleWith);
    }

    private static <T> void answer(RoutingContext ctx, Supplier<Future<T>> work, Function<T, ?> view,
                                   BiConsumer<T, Future<Void>> written) {
        Future<T> result;
        try {
            result = work.get();
        } catch (GatewayException e) {
            HttpErrors.render(ctx, e);
            return;
        }
        result.onComplete(done -> {
            if (done.succeeded()) {
                written.accept(done.result(), HttpErrors.send(ctx, 200, view.apply(done.result())));
            } else {
                HttpErrors.render(ctx, done.cause());
            }
        });
    }

    /** Answers {@code {}} once {@code work} succeeds. */
    static void empty(RoutingContext ctx, Supplier<Future<Void>> work) {
        json(ctx, work, done -> EMPTY);
    }
}
