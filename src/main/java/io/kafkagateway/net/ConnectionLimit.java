package io.kafkagateway.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections one listener holds at once, across the verticle instances sharing it: beyond the bound a new
 * connection is answered 503 (with Retry-After) and closed before any request is read. Thread-safe.
 */
public final class ConnectionLimit {

    private static final byte[] REFUSED_BODY = "{\"error\":\"too many connections to this listener (connections.max_per_listener); retry shortly\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final String listener;
    private final int limit;
    private final AtomicInteger open = new AtomicInteger();
    private final Runnable refused;

    /** {@code refused}: counts a connection refused. */
    public ConnectionLimit(String listener, int limit, Runnable refused) {
        this.listener = listener;
        this.limit = limit;
        this.refused = refused;
    }

    /** Counts {@code connection} until it closes; false (and the connection answered 503 and closed) beyond the bound. */
    public boolean admit(HttpConnection connection) {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            refused.run();
            refuse(connection);
            return false;
        }
        connection.closeHandler(v -> open.decrementAndGet());
        return true;
    }

    public int open() {
        return open.get();
    }

    public String listener() {
        return listener;
    }

    private static void refuse(HttpConnection connection) {
        if (connection instanceof ConnectionBase base && base.channel().pipeline().get("httpEncoder") != null) {
            Channel channel = base.channel();
            byte[] head = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                    + "Connection: close\r\nContent-Length: " + REFUSED_BODY.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            // Written below the HTTP codec (above TLS, when there is TLS): no request has been read.
            channel.pipeline().context("httpDecoder").writeAndFlush(Unpooled.wrappedBuffer(head, REFUSED_BODY))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            connection.close();
        }
    }
}
