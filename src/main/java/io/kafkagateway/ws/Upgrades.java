package io.kafkagateway.ws;

import io.kafkagateway.core.GatewayException;
import io.kafkagateway.stream.OpenSessions;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/**
 * The upgrade step every dialect shares: a plain HTTP request gets 400 saying the path serves WebSockets; a full
 * gateway refuses with 503; an accepted socket holds a place in the connection budget until it closes.
 */
final class Upgrades {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Upgrades.class);
    private static final String UTF8_VALIDATOR = "kgw-utf8-validator";

    private Upgrades() {
    }

    /**
     * A query parameter given at most once; {@code absent} when missing.
     *
     * @throws GatewayException INVALID_REQUEST when it is given more than once
     */
    static String param(RoutingContext ctx, String name, String absent) {
        java.util.List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw GatewayException.invalid("parameter " + name + " is given " + values.size() + " times; give it once");
        }
        return values.isEmpty() ? absent : values.get(0);
    }

    static boolean isUpgrade(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** Answers 400 unless {@code ctx} asks for a WebSocket; true when it does. */
    static boolean requireUpgrade(RoutingContext ctx, String dialect) {
        if (isUpgrade(ctx)) {
            return true;
        }
        WsErrors.refuse(ctx, 400, ctx.request().path() + " serves WebSocket connections (" + dialect
                + " dialect); connect with a WebSocket client (Upgrade: websocket)");
        return false;
    }

    /**
     * Text frames must hold UTF-8 (RFC 6455): one that does not closes its socket with 1007, instead of reaching a
     * dialect as text with replacement characters. Netty's validator, behind the frame decoder Vert.x installed.
     */
    private static void validateText(RoutingContext ctx) {
        if (ctx.request().connection() instanceof ConnectionBase base && base.channel().pipeline().get("wsdecoder") != null
                && base.channel().pipeline().get("handler") != null && base.channel().pipeline().get(UTF8_VALIDATOR) == null) {
            // Last before Vert.x's handler, so that it sees text after any permessage-deflate inflater.
            base.channel().pipeline().addBefore("handler", UTF8_VALIDATOR, new Utf8FrameValidator(false));
        }
    }

    /** Upgrades {@code ctx} and hands the socket to {@code session}, within the connection budget. */
    static void accept(RoutingContext ctx, WebSocketShared shared, Function<ServerWebSocket, WsSession> sessions) {
        ConnectionBudget budget = shared.budget;
        if (shared.draining()) {
            WsErrors.refuse(ctx, GatewayException.unavailable("the gateway is shutting down"));
            return;
        }
        if (!budget.tryAcquire()) {
            WsErrors.refuse(ctx, GatewayException.unavailable("too many WebSocket connections: " + budget.limit()
                    + " are open (websocket.max_connections)"));
            return;
        }
        Future<ServerWebSocket> upgraded = ctx.request().toWebSocket();
        upgraded.onComplete(done -> {
            if (done.failed()) {
                budget.release();
                return;
            }
            ServerWebSocket socket = done.result();
            validateText(ctx);
            WsSession session = sessions.apply(socket);
            OpenSessions.Entry open = shared.sessions.opened(ctx.vertx().getOrCreateContext(), new OpenSessions.Session() {
                @Override
                public void drain() {
                    if (!session.drain()) {
                        close();
                    }
                }

                @Override
                public void close() {
                    WsErrors.close(socket, (short) 1001, "the gateway is shutting down");
                }
            });
            socket.closeHandler(v -> {
                budget.release();
                session.closed().onComplete(finished -> shared.sessions.finished(open));
            });
            socket.exceptionHandler(failure -> {
                String message = String.valueOf(failure.getMessage());
                if (failure instanceof CorruptedWebSocketFrameException corrupted) {
                    // A protocol violation (1002), text that is not UTF-8 (1007), a frame too large (1009): the client
                    // hears why before the connection ends.
                    WsErrors.close(socket, (short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
                } else if (message.contains("max message size")) {
                    // Vert.x drops a message above the limit and goes on; the client must hear of it.
                    WsErrors.close(socket, (short) 1009, "message larger than websocket.max_frame_bytes");
                } else {
                    LOG.atDebug().addKeyValue("error", failure.toString()).log("WebSocket connection failed");
                }
            });
            session.start();
        });
    }
}
