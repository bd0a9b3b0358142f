package io.kafkagateway.ws;

import io.vertx.core.Future;

/** A dialect's handling of one socket: started once upgraded, told once the socket closed. */
interface WsSession {

    void start();

    /** The socket closed, whoever closed it; the future completes once the session has let go (positions committed). */
    Future<Void> closed();
}
