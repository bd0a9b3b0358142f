package io.kafkagateway.grpc;

import io.kafkagateway.core.Abandonment;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.grpc.pixy.KafkaPixyGrpcService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Kafka-Pixy's unary methods, bound by hand rather than through the generated binding, which does not say when a
 * client cancels its call (its deadline passed, or it gave up) and answers into the reset stream regardless (Vert.x
 * then logs a stack trace). Here a cancelled call is marked abandoned: a long poll parked for it takes no message (an
 * auto-acknowledged one would be lost), and nothing is written to its stream. A reset stream arrives at the request's
 * error handler, a broken connection as an exception. A consumed message counts as delivered only once its answer
 * was written; an answer that could not be written (or a call cancelled meanwhile) offers it again at once.
 */
final class PixyCalls {

    private PixyCalls() {
    }

    static void bind(GrpcServer server, GrpcMessages messages, PixyService pixy) {
        // The service itself, with no method bound, so that server reflection lists it.
        server.addService(KafkaPixyGrpcService.builder(pixy).bind(List.of()).build());
        List<ServiceMethod<?, ?>> bound = new ArrayList<>();
        unary(server, messages, bound, KafkaPixyGrpcService.Produce, (rq, gone) -> pixy.produce(rq));
        consuming(server, messages, bound, KafkaPixyGrpcService.ConsumeNAck, pixy::consumeNAck, PixyService::consRs);
        unary(server, messages, bound, KafkaPixyGrpcService.Ack, (rq, gone) -> pixy.ack(rq));
        unary(server, messages, bound, KafkaPixyGrpcService.GetOffsets, (rq, gone) -> pixy.getOffsets(rq));
        unary(server, messages, bound, KafkaPixyGrpcService.SetOffsets, (rq, gone) -> pixy.setOffsets(rq));
        unary(server, messages, bound, KafkaPixyGrpcService.ListTopics, (rq, gone) -> pixy.listTopics(rq));
        unary(server, messages, bound, KafkaPixyGrpcService.ListConsumers, (rq, gone) -> pixy.listConsumers(rq));
        unary(server, messages, bound, KafkaPixyGrpcService.GetTopicMetadata, (rq, gone) -> pixy.getTopicMetadata(rq));
        // A method added to the proto would otherwise be listed by reflection and answer UNIMPLEMENTED.
        if (!bound.containsAll(KafkaPixyGrpcService.all())) {
            List<ServiceMethod<?, ?>> missing = new ArrayList<>(KafkaPixyGrpcService.all());
            missing.removeAll(bound);
            throw new IllegalStateException("Kafka-Pixy methods without a binding: " + missing);
        }
    }

    private static <Q, R> void unary(GrpcServer server, GrpcMessages messages, List<ServiceMethod<?, ?>> bound,
                                     ServiceMethod<Q, R> method, BiFunction<Q, Abandonment, Future<R>> call) {
        bind(server, messages, bound, method, call, Function.identity(), (answer, written) -> { });
    }

    /** A unary call that answers with a consumed message, whose write is reported to the engine. */
    private static <Q, R> void consuming(GrpcServer server, GrpcMessages messages, List<ServiceMethod<?, ?>> bound,
                                         ServiceMethod<Q, R> method, BiFunction<Q, Abandonment, Future<ConsumedBatch>> call,
                                         Function<ConsumedMessage, R> view) {
        bind(server, messages, bound, method, call, batch -> view.apply(batch.first()), ConsumedBatch::settleWith);
    }

    /**
     * The call starts on its one request message. A call that ends without one, or has none within
     * {@link GrpcMessages#REQUEST_WAIT}, fails (INVALID_ARGUMENT, DEADLINE_EXCEEDED), as does one whose message does not
     * decode; messages after the first are ignored (Vert.x would hand each on, and the call would run twice).
     */
    private static <Q, R, T> void bind(GrpcServer server, GrpcMessages messages, List<ServiceMethod<?, ?>> bound,
                                       ServiceMethod<Q, R> method, BiFunction<Q, Abandonment, Future<T>> call,
                                       Function<T, R> view, BiConsumer<T, Future<Void>> written) {
        bound.add(method);
        server.callHandler(method, request -> {
            Abandonment gone = new Abandonment();
            GrpcServerResponse<Q, R> response = request.response();
            // Whether the call has its message, or was failed without one: what arrives later is ignored.
            boolean[] started = {false};
            Handler<StatusException> failWithout = status -> {
                if (!started[0]) {
                    started[0] = true;
                    if (!gone.abandoned()) {
                        gone.abandon();
                        GrpcMessages.failUnwritten(response, status);
                    }
                }
            };
            long timer = messages.awaitMessage(request, "request message", failWithout);
            request.errorHandler(error -> {
                messages.cancel(timer);
                gone.abandon();
            });
            request.exceptionHandler(failure -> {
                messages.cancel(timer);
                gone.abandon();
            });
            response.exceptionHandler(failure -> gone.abandon());
            request.endHandler(v -> {
                messages.cancel(timer);
                failWithout.handle(GrpcErrors.invalid("the call ended without a complete request message"));
            });
            messages.handler(request, method.decoder(), rq -> {
                if (started[0]) {
                    return;
                }
                started[0] = true;
                messages.cancel(timer);
                call.apply(rq, gone).onComplete(done -> {
                    if (done.failed()) {
                        if (!gone.abandoned()) {
                            response.fail(done.cause());
                        }
                        return;
                    }
                    if (gone.abandoned()) {
                        written.accept(done.result(), Future.failedFuture("the client cancelled the call"));
                        return;
                    }
                    written.accept(done.result(), response.end(view.apply(done.result())));
                });
            }, status -> {
                messages.cancel(timer);
                failWithout.handle(status);
            });
        });
    }
}
