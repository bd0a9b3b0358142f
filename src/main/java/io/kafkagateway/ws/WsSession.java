package io.kafkagateway.ws;

import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;

/** A dialect's handling of one socket: started once upgraded, told once the socket closed. */
interface WsSession {

    void start();

    /**
     * The gateway is stopping: stop taking messages. True when the session stays open until the end of the drain (its
     * client may still acknowledge what it holds); false to be closed at once (1001).
     */
    default boolean drain() {
        return false;
    }

    /** The socket closed, whoever closed it; the future completes once the session has let go (positions committed). */
    Future<Void> closed();

    /**
     * Whether {@code socket} can take no more now. A closed socket takes nothing: between the client's close frame and
     * the connection's end it is closed (asking for its write queue would throw) while the close handler has not run.
     */
    static boolean full(ServerWebSocket socket) {
        return socket.isClosed() || socket.writeQueueFull();
    }
}
