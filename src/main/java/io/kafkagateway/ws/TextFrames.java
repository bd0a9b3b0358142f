package io.kafkagateway.ws;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Writes a text message the gateway encoded as UTF-8 itself, as it is. Vert.x takes a text message only as a
 * {@code String}, which it encodes again, so a JSON batch encoded to bytes would be decoded and encoded once more
 * for nothing. Messages larger than the server's frame limit are split into continuation frames, as Vert.x does.
 */
final class TextFrames {

    private final int maxFrameBytes;

    /** {@code maxFrameBytes}: the server's largest WebSocket frame (its {@code maxWebSocketFrameSize}). */
    TextFrames(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Writes {@code utf8}, which must be valid UTF-8, as one text message; completes when its last frame is written. */
    Future<Void> write(ServerWebSocket socket, Buffer utf8) {
        int length = utf8.length();
        if (length <= maxFrameBytes) {
            return socket.writeFrame(text(utf8, true));
        }
        socket.writeFrame(text(utf8.slice(0, maxFrameBytes), false));
        int offset = maxFrameBytes;
        while (length - offset > maxFrameBytes) {
            socket.writeFrame(WebSocketFrame.continuationFrame(utf8.slice(offset, offset + maxFrameBytes), false));
            offset += maxFrameBytes;
        }
        return socket.writeFrame(WebSocketFrame.continuationFrame(utf8.slice(offset, length), true));
    }

    /** Vert.x buffers hand out unreleasable views of their bytes, so the frame may share them. */
    private static WebSocketFrame text(Buffer utf8, boolean last) {
        ByteBuf bytes = ((BufferInternal) utf8).getByteBuf();
        return new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes, last);
    }
}
