package io.kafkagateway.grpc;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * How every call of the gRPC API takes its request messages, instead of {@code GrpcServerRequest.handler}: Vert.x
 * 5.0.7 resets the stream (CANCEL, no status) on a message that does not decode, and throws, unanswered, on one of an
 * encoding it does not know; it also inflates gzip without bound. Here such a message ends the call with a status: a
 * message that does not decode or inflate INVALID_ARGUMENT, one larger than {@code grpc_max_request_bytes} once
 * inflated RESOURCE_EXHAUSTED. Also the bound on how long a call waits for the message it needs to start.
 */
final class GrpcMessages {

    /** How long a call may wait for the request message it needs to start (a unary call's one, a consume stream's subscribe). */
    static final Duration REQUEST_WAIT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final int maxBytes;

    GrpcMessages(Vertx vertx, int maxBytes) {
        this.vertx = vertx;
        this.maxBytes = maxBytes;
    }

    /**
     * Hands {@code request}'s messages to {@code onMessage}; the status of one that does not decode goes to
     * {@code onFailure} instead, as does INTERNAL when {@code onMessage} throws (Vert.x's handler answered that too).
     */
    <Q> void handler(GrpcServerRequest<Q, ?> request, GrpcMessageDecoder<Q> decoder, Handler<Q> onMessage,
                     Handler<StatusException> onFailure) {
        request.messageHandler(message -> {
            Q decoded;
            try {
                decoded = decoder.decode(GrpcMessage.message("identity", message.format(), payload(message)));
            } catch (StatusException e) {
                onFailure.handle(e);
                return;
            } catch (CodecException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                onFailure.handle(GrpcErrors.invalid("the request message does not decode: " + cause.getMessage()));
                return;
            }
            try {
                onMessage.handle(decoded);
            } catch (RuntimeException e) {
                onFailure.handle(GrpcErrors.of(e, GrpcErrors.Call.OTHER));
            }
        });
    }

    private Buffer payload(GrpcMessage message) {
        return switch (message.encoding()) {
            case "identity" -> message.payload();
            case "gzip" -> gunzip(message.payload());
            case GrpcGate.UNCOMPRESSED -> throw GrpcErrors.invalid("a request message has the compressed flag set, and the call no grpc-encoding");
            default -> throw new StatusException(GrpcStatus.UNIMPLEMENTED, "grpc-encoding is not supported");
        };
    }

    private Buffer gunzip(Buffer compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.getBytes()))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 4 * compressed.length()));
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                out.write(chunk, 0, n);
                if (out.size() > maxBytes) {
                    throw new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, "the request message inflates to more than "
                            + maxBytes + " bytes (grpc_max_request_bytes)");
                }
            }
            return Buffer.buffer(out.toByteArray());
        } catch (IOException e) {
            throw GrpcErrors.invalid("the request message does not inflate (gzip): " + e.getMessage());
        }
    }

    /**
     * Runs {@code expired} with DEADLINE_EXCEEDED once the call has waited for its message for {@link #REQUEST_WAIT},
     * or for its {@code grpc-timeout} if shorter; the caller checks that it is still waiting. Returns the timer's id.
     */
    long awaitMessage(GrpcServerRequest<?, ?> request, String what, Handler<StatusException> expired) {
        long timeout = request.timeout();
        boolean clients = timeout > 0 && timeout < REQUEST_WAIT.toMillis();
        long wait = clients ? timeout : REQUEST_WAIT.toMillis();
        String why = clients ? "within the call's grpc-timeout" : "within " + REQUEST_WAIT.toSeconds() + " s";
        return vertx.setTimer(wait, id -> expired.handle(new StatusException(GrpcStatus.DEADLINE_EXCEEDED, "no " + what + " " + why)));
    }

    /**
     * Ends a call on which nothing was written yet with {@code status} (trailers only), then, if the client has not
     * ended its side, resets the stream: Vert.x leaves it half-closed, and it holds one of the connection's concurrent
     * streams until the client ends it (the gRPC clients do, a raw fuzzer does not). The reset follows the trailers on
     * the wire: with no DATA queued, Netty writes trailers at once. The client's status is the trailers'.
     */
    static void failUnwritten(GrpcServerResponse<?, ?> response, StatusException status) {
        response.fail(status);
        response.cancel();
    }

    void cancel(long timer) {
        vertx.cancelTimer(timer);
    }
}
