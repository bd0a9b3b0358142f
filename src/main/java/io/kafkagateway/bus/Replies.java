package io.kafkagateway.bus;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers an event-bus request with the outcome of {@code result}: the value, or the gateway error's code and text. */
public final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {
    }

    public static <T> void reply(Message<?> request, Future<T> result) {
        result.onComplete(done -> {
            if (done.succeeded()) {
                request.reply(done.result());
                return;
            }
            GatewayException error = GatewayException.from(done.cause());
            if (error.code() == ErrorCode.UNKNOWN_SERVER_ERROR) {
                LOG.atError().addKeyValue("address", request.address()).setCause(done.cause()).log("request failed unexpectedly");
            }
            request.fail(error.busCode(), error.getMessage());
        });
    }
}
