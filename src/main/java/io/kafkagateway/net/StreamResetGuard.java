package io.kafkagateway.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a client's cancel of one gRPC call from taking down its whole HTTP/2 connection. When a client half-closes a
 * stream and resets it in one read (grpc-js's {@code cancel()} does), the end of our response is still queued in
 * Netty's flow controller, with the trailers on a void promise (Vert.x 5.0.7 writes them so); the reset fails them,
 * the failure surfaces as an exception on the pipeline, and Vert.x's HTTP/2 handler closes the connection on any
 * exception, so every other call on it fails ({@code UNAVAILABLE: Connection dropped}). Placed in front of that
 * handler, this drops a STREAM_CLOSED error about a stream that is already closed, and passes everything else on.
 */
public final class StreamResetGuard extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(StreamResetGuard.class);
    static final String HANDLER = "kgw-stream-reset-guard";

    private final Http2ConnectionHandler http2;

    private StreamResetGuard(Http2ConnectionHandler http2) {
        this.http2 = http2;
    }

    /** For {@code HttpServer.connectionHandler}; a connection that is not HTTP/2 is left as it is. */
    public static void install(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        Channel channel = base.channel();
        ChannelHandlerContext http2 = channel.pipeline().context(Http2ConnectionHandler.class);
        if (http2 != null && channel.pipeline().get(HANDLER) == null) {
            channel.pipeline().addBefore(http2.name(), HANDLER, new StreamResetGuard((Http2ConnectionHandler) http2.handler()));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) instanceof Http2Exception.StreamException error
                && error.error() == Http2Error.STREAM_CLOSED) {
            Http2Stream stream = http2.connection().stream(error.streamId());
            if (stream == null || stream.state() == Http2Stream.State.CLOSED) {
                LOG.atDebug().addKeyValue("stream", error.streamId()).addKeyValue("error", error.getMessage())
                        .log("write to a stream the client reset; the connection stays open");
                return;
            }
        }
        ctx.fireExceptionCaught(cause);
    }
}
