package io.kafkagateway.grpc;

import io.kafkagateway.core.Abandonment;
import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.grpc.pixy.KafkaPixyGrpcService;
import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;

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

    static void bind(GrpcServer server, PixyService pixy) {
        // The service itself, with no method bound, so that server reflection lists it.
        server.addService(KafkaPixyGrpcService.builder(pixy).bind(List.of()).build());
        List<ServiceMethod<?, ?>> bound = new ArrayList<>();
        unary(server, bound, KafkaPixyGrpcService.Produce, (rq, gone) -> pixy.produce(rq));
        consuming(server, bound, KafkaPixyGrpcService.ConsumeNAck, pixy::consumeNAck, PixyService::consRs);
        unary(server, bound, KafkaPixyGrpcService.Ack, (rq, gone) -> pixy.ack(rq));
        unary(server, bound, KafkaPixyGrpcService.GetOffsets, (rq, gone) -> pixy.getOffsets(rq));
        unary(server, bound, KafkaPixyGrpcService.SetOffsets, (rq, gone) -> pixy.setOffsets(rq));
        unary(server, bound, KafkaPixyGrpcService.ListTopics, (rq, gone) -> pixy.listTopics(rq));
        unary(server, bound, KafkaPixyGrpcService.ListConsumers, (rq, gone) -> pixy.listConsumers(rq));
        unary(server, bound, KafkaPixyGrpcService.GetTopicMetadata, (rq, gone) -> pixy.getTopicMetadata(rq));
        // A method added to the proto would otherwise be listed by reflection and answer UNIMPLEMENTED.
        if (!bound.containsAll(KafkaPixyGrpcService.all())) {
            List<ServiceMethod<?, ?>> missing = new ArrayList<>(KafkaPixyGrpcService.all());
            missing.removeAll(bound);
            throw new IllegalStateException("Kafka-Pixy methods without a binding: " + missing);
        }
    }

    private static <Q, R> void unary(GrpcServer server, List<ServiceMethod<?, ?>> bound, ServiceMethod<Q, R> method,
                                     BiFunction<Q, Abandonment, Future<R>> call) {
        bind(server, bound, method, call, Function.identity(), (answer, written) -> { });
    }

    /** A unary call that answers with a consumed message, whose write is reported to the engine. */
    private static <Q, R> void consuming(GrpcServer server, List<ServiceMethod<?, ?>> bound, ServiceMethod<Q, R> method,
                                         BiFunction<Q, Abandonment, Future<ConsumedBatch>> call,
                                         Function<ConsumedMessage, R> view) {
        bind(server, bound, method, call, batch -> view.apply(batch.first()), ConsumedBatch::settleWith);
    }

    private static <Q, R, T> void bind(GrpcServer server, List<ServiceMethod<?, ?>> bound, ServiceMethod<Q, R> method,
                                       BiFunction<Q, Abandonment, Future<T>> call, Function<T, R> view,
                                       BiConsumer<T, Future<Void>> written) {
        bound.add(method);
        server.callHandler(method, request -> {
            Abandonment gone = new Abandonment();
            GrpcServerResponse<Q, R> response = request.response();
            request.errorHandler(error -> gone.abandon());
            request.exceptionHandler(failure -> gone.abandon());
            response.exceptionHandler(failure -> gone.abandon());
            request.handler(rq -> call.apply(rq, gone).onComplete(done -> {
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
            }));
        });
    }
}
