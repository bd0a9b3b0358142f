package io.kafkagateway.ws;

import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.stream.ConsumeSession;
import io.kafkagateway.stream.ProduceSession;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.List;

/**
 * One socket of the native dialect: a subscription at a time through the same consumer engine as REST and gRPC
 * (credits, acknowledgements, redelivery), and produce with a result per message, in order. A frame it cannot use gets
 * an error frame and the socket stays open. Messages stop while the socket's write queue is full; reading stops while
 * 1024 produces are outstanding. When the socket closes, what it did not acknowledge is offered again at once.
 * Confined to the event loop the socket arrived on.
 */
final class NativeSession implements WsSession, ConsumeSession.Sink, ProduceSession.Sink<String> {

    private final Vertx vertx;
    private final ClusterClient clusters;
    private final String cluster;
    private final NativeCodec codec;
    private final ServerWebSocket socket;
    private final long maxCredits;
    private final ProduceSession<String> produce;
    private final Counter sent;
    private final TextFrames frames;
    private ConsumeSession consume;

    NativeSession(Vertx vertx, ClusterClient clusters, String cluster, NativeCodec codec, long maxCredits, Counter sent,
                  TextFrames frames, ServerWebSocket socket) {
        this.sent = sent;
        this.frames = frames;
        this.vertx = vertx;
        this.clusters = clusters;
        this.cluster = cluster;
        this.codec = codec;
        this.socket = socket;
        this.maxCredits = maxCredits;
        this.produce = new ProduceSession<>(clusters, this);
    }

    @Override
    public void start() {
        socket.textMessageHandler(text -> onFrame(Buffer.buffer(text), false));
        socket.binaryMessageHandler(data -> onFrame(data, true));
        socket.drainHandler(v -> {
            if (consume != null) {
                consume.resume();
            }
            produce.flush();
        });
    }

    private void onFrame(Buffer data, boolean binary) {
        try {
            if (binary != codec.binary()) {
                throw GatewayException.invalid(codec.binary()
                        ? "this socket takes binary protobuf frames (it was opened with ?format=binary)"
                        : "this socket takes JSON text frames; connect with ?format=binary for protobuf frames");
            }
            handle(codec.decode(data, cluster));
        } catch (GatewayException e) {
            write(codec.error(e));
        }
    }

    private void handle(NativeFrame frame) {
        if (frame instanceof NativeFrame.Subscribe subscribe) {
            if (consume != null) {
                throw GatewayException.invalid("already subscribed; send unsubscribe first");
            }
            consume = ConsumeSession.start(vertx, clusters, subscribe.subscription(), maxCredits, this);
            write(codec.subscribed(subscribe.subscription()));
        } else if (frame instanceof NativeFrame.Credits credits) {
            subscribed().grant(credits.count());
        } else if (frame instanceof NativeFrame.Ack ack) {
            subscribed().ack(ack.topic(), ack.partition(), ack.offset());
        } else if (frame instanceof NativeFrame.Produce message) {
            produce.produce(cluster, message.message(), message.id());
        } else if (frame instanceof NativeFrame.Unsubscribe) {
            subscribed().close();
            consume = null;
            write(codec.unsubscribed(null));
        }
    }

    private ConsumeSession subscribed() {
        if (consume == null) {
            throw GatewayException.invalid("not subscribed: send a subscribe frame first");
        }
        return consume;
    }

    /** Writes a frame; the future fails when it cannot reach the socket (closed, or closing). */
    private Future<Void> write(Buffer frame) {
        if (socket.isClosed()) {
            return Future.failedFuture("the socket is closed");
        }
        return codec.binary() ? socket.writeBinaryMessage(frame) : frames.write(socket, frame);
    }

    @Override
    public boolean full() {
        return WsSession.full(socket);
    }

    @Override
    public Future<Void> messages(List<ConsumedMessage> messages) {
        sent.increment(messages.size());
        if (consume != null && consume.subscription().batch()) {
            return write(codec.batch(messages));
        }
        Future<Void> last = null;
        for (ConsumedMessage m : messages) {
            last = write(codec.message(m));
        }
        return last;
    }

    @Override
    public void ackFailed(AckRequest ack, GatewayException error) {
        write(codec.ackFailed(ack, error));
    }

    @Override
    public void failed(GatewayException error) {
        consume = null;
        write(codec.unsubscribed(error));
    }

    @Override
    public void outcome(ProduceSession.Outcome<String> outcome) {
        write(outcome.error() == null ? codec.produced(outcome.tag(), outcome.result()) : codec.produceFailed(outcome.tag(), outcome.error()));
    }

    @Override
    public void reading(boolean on) {
        if (on) {
            socket.resume();
        } else {
            socket.pause();
        }
    }

    @Override
    public void finished() {
        // a socket's input ends only when it closes
    }

    /** Stops taking messages; acknowledgements (and their results) go on until the socket is closed. */
    @Override
    public boolean drain() {
        if (consume != null) {
            consume.drain();
        }
        return true;
    }

    @Override
    public Future<Void> closed() {
        if (consume != null) {
            consume.close();
            consume = null;
        }
        produce.close();
        return Future.succeededFuture();
    }
}
