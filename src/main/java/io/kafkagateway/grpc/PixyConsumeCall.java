package io.kafkagateway.grpc;

import io.kafkagateway.core.Abandonment;
import io.kafkagateway.grpc.pixy.ConsNAckRq;
import io.kafkagateway.grpc.pixy.ConsRs;
import io.kafkagateway.grpc.pixy.KafkaPixyGrpcService;
import io.vertx.core.Handler;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.List;

/**
 * Kafka-Pixy's {@code ConsumeNAck}, bound by hand rather than through the generated service: the generated unary
 * binding does not say when a client cancels its call (its deadline passed, or it gave up), and a long poll parked for
 * a client that is gone must take no message, or an auto-acknowledged one would be lost. A cancelled call resets its
 * HTTP/2 stream, which Vert.x gRPC reports to the request's error handler; a broken connection, as an exception.
 */
final class PixyConsumeCall {

    private PixyConsumeCall() {
    }

    /** Every Kafka-Pixy method but {@code ConsumeNAck}, for the generated binding. */
    static List<ServiceMethod<?, ?>> otherMethods() {
        return KafkaPixyGrpcService.all().stream().filter(m -> m != KafkaPixyGrpcService.ConsumeNAck).toList();
    }

    static void bind(GrpcServer server, PixyService pixy) {
        server.callHandler(KafkaPixyGrpcService.ConsumeNAck, handler(pixy));
    }

    private static Handler<GrpcServerRequest<ConsNAckRq, ConsRs>> handler(PixyService pixy) {
        return request -> {
            Abandonment gone = new Abandonment();
            GrpcServerResponse<ConsNAckRq, ConsRs> response = request.response();
            request.errorHandler(error -> gone.abandon()); // the stream was reset: CANCELLED and the like
            request.exceptionHandler(failure -> gone.abandon());
            response.exceptionHandler(failure -> gone.abandon());
            request.handler(rq -> pixy.consumeNAck(rq, gone).onComplete(done -> {
                if (gone.abandoned()) {
                    return; // the stream is reset; nobody reads an answer
                }
                if (done.succeeded()) {
                    response.end(done.result());
                } else {
                    response.fail(done.cause());
                }
            }));
        };
    }
}
