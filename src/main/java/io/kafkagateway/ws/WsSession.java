package io.kafkagateway.ws;

/** A dialect's handling of one socket: started once upgraded, told once the socket closed. */
interface WsSession {

    void start();

    /** The socket closed, whoever closed it. */
    void closed();
}
