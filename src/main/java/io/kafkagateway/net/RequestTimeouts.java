package io.kafkagateway.net;

import io.kafkagateway.config.ConnectionSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.json.JsonObject;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long an HTTP/1.x connection may hold the gateway without making progress: between requests (keep-alive
 * idle), while sending a request's line and headers, and between the bytes of a request's body. A connection over
 * a bound is answered 408 where HTTP still allows an answer, and closed; closing it ends its request, which releases
 * what the request held (the body budget, a parked poll). A request that has been read in full is not bounded here:
 * a long poll waits for as long as the consumer's timeout allows. After an upgrade to WebSocket the connection is no
 * longer watched. Two Netty handlers on the connection's event loop: one before the HTTP decoder sees a request
 * begin, one after it sees the request's parts and the response's end.
 */
public final class RequestTimeouts {

    private static final Logger LOG = LoggerFactory.getLogger(RequestTimeouts.class);
    static final String BYTES = "kgw-request-bytes";
    static final String PARTS = "kgw-request-parts";

    private enum Phase { IDLE, HEAD, BODY, SERVING }

    private final ConnectionSettings settings;
    private final Channel channel;
    private final Runnable timedOut;
    private Phase phase = Phase.IDLE;
    private ScheduledFuture<?> timer;
    /** Requests begun and responses ended on the connection (they differ while one is served, or pipelined). */
    private long requests;
    private long responses;
    /**
     * The client shut its sending side: a request whose body it cut short is answered 400, one it had sent in full
     * and that is being served is abandoned; either way the connection closes.
     */
    private boolean inputShut;

    private RequestTimeouts(ConnectionSettings settings, Channel channel, Runnable timedOut) {
        this.settings = settings;
        this.channel = channel;
        this.timedOut = timedOut;
    }

    /**
     * Watches {@code channel}, an HTTP/1.x connection Vert.x has just set up (its decoder is "httpDecoder"); other
     * connections are left alone. {@code timedOut} counts a request closed for taking too long.
     */
    static void install(ConnectionSettings settings, Channel channel, Runnable timedOut) {
        if (channel.pipeline().get("httpDecoder") == null || channel.pipeline().get("httpEncoder") == null
                || channel.pipeline().get(BYTES) != null) {
            return;
        }
        RequestTimeouts timeouts = new RequestTimeouts(settings, channel, timedOut);
        // Without this Netty closes a connection whose client half-closes, before its request is answered.
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addBefore("httpDecoder", BYTES, timeouts.new Bytes());
        channel.pipeline().addAfter("httpEncoder", PARTS, timeouts.new Parts());
        timeouts.idle();
    }

    private void idle() {
        phase = Phase.IDLE;
        if (inputShut) {
            cancel();
            channel.close();
            return;
        }
        arm(settings.idleTimeout().toMillis(), "idle", false);
    }

    private void arm(long millis, String what, boolean answer) {
        cancel();
        timer = channel.eventLoop().schedule(() -> expired(what, answer), millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired(String what, boolean answer) {
        timer = null;
        LOG.atDebug().addKeyValue("remote", String.valueOf(channel.remoteAddress())).addKeyValue("phase", what)
                .log("connection closed: no progress within its timeout");
        if (answer) {
            timedOut.run();
            answer("408 Request Timeout", "request not received in time: its " + what + " took longer than connections."
                    + (what.equals("headers") ? "header_timeout" : "body_timeout"));
        } else {
            channel.close();
        }
    }

    private void malformed(Throwable cause, boolean head) {
        cancel();
        phase = Phase.SERVING;
        LOG.atDebug().addKeyValue("remote", String.valueOf(channel.remoteAddress())).addKeyValue("error", String.valueOf(cause))
                .log("malformed request; answered and closed");
        if (!head && responses == requests) {
            channel.close(); // the request was answered already (early, before its body was read)
        } else if (cause instanceof TooLongHttpLineException) {
            answer("414 URI Too Long", "the request line is longer than this gateway accepts");
        } else if (cause instanceof TooLongHttpHeaderException) {
            answer("431 Request Header Fields Too Large", "the request headers are larger than this gateway accepts");
        } else {
            answer("400 Bad Request", "malformed request " + (head ? "line or headers" : "body") + ": " + cause.getMessage());
        }
    }

    /** Writes a whole response below the HTTP codec (Vert.x may still be expecting the request) and closes. */
    private void answer(String status, String error) {
        if (!channel.isActive()) {
            return;
        }
        byte[] body = new JsonObject().put("error", error).encode().getBytes(StandardCharsets.UTF_8);
        ByteBuf response = Unpooled.copiedBuffer(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
        channel.pipeline().context(BYTES).writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void stop() {
        cancel();
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        channel.pipeline().remove(BYTES);
        channel.pipeline().remove(PARTS);
    }

    /** Before the decoder: the first bytes after an idle spell begin a request. */
    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (phase == Phase.IDLE && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                phase = Phase.HEAD;
                arm(settings.headerTimeout().toMillis(), "headers", true);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }
    }

    /** After the decoder and encoder: the request's parts come in, the response's end goes out. */
    private final class Parts extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpObject part && part.decoderResult().isFailure()) {
                // A request line, header or body framing the decoder could not read (a bad Content-Length, a bad
                // chunk size): answered here, as Vert.x would only close the connection; a request under way then
                // ends like one whose client hung up.
                ReferenceCountUtil.release(msg);
                malformed(part.decoderResult().cause(), msg instanceof HttpRequest);
                return;
            }
            if (msg instanceof HttpRequest request) {
                requests++;
                if (msg instanceof LastHttpContent || !expectsBody(request)) {
                    requestRead();
                } else {
                    phase = Phase.BODY;
                    arm(settings.bodyTimeout().toMillis(), "body", true);
                }
            } else if (msg instanceof HttpContent && phase == Phase.BODY) {
                if (msg instanceof LastHttpContent) {
                    requestRead();
                } else {
                    arm(settings.bodyTimeout().toMillis(), "body", true);
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                // The decoder has seen the end of input already: a request cut short came through as malformed.
                inputShut = true;
                if (phase == Phase.IDLE) {
                    idle();
                } else if (phase == Phase.SERVING) {
                    // A client that went away and one that only half-closed look the same until a write fails; a
                    // request under way is taken as abandoned, so that a long poll does not hand its message to a
                    // client that is gone (HTTP servers commonly do the same).
                    cancel();
                    channel.close();
                } else if (phase == Phase.BODY) {
                    // the decoder says nothing of a body cut short by the end of input
                    malformed(new IllegalStateException("the client ended its side before the whole body was sent"), false);
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                ctx.write(msg, promise);
                stop();
                return;
            }
            if (msg instanceof LastHttpContent) {
                responses++;
                if (phase == Phase.SERVING && responses == requests) {
                    if (inputShut) {
                        cancel();
                        ctx.write(msg, promise).addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                    idle();
                }
            }
            ctx.write(msg, promise);
        }
    }

    /** A request was read in full: no bound while it is served, unless its answer went out already. */
    private void requestRead() {
        if (responses == requests) {
            idle();
        } else {
            phase = Phase.SERVING;
            cancel();
        }
    }

    private static boolean expectsBody(HttpRequest request) {
        return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    }
}
