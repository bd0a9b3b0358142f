package io.kafkagateway.net;

import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a connection's writes share socket flushes. Vert.x flushes after every write made outside a network read, so a
 * stream answering many messages from one event-loop task (a produce batch's results, say) pays an HTTP/2 frame
 * flush and a system call per message. Netty's {@link FlushConsolidationHandler}, placed on the tail side of the
 * HTTP/2 handler, holds those flushes until the task is over (or {@link #MAX_HELD} of them), then flushes once.
 */
public final class FlushCoalescing {

    private static final Logger LOG = LoggerFactory.getLogger(FlushCoalescing.class);
    /** Flushes held back at most before one is let through. */
    static final int MAX_HELD = 256;
    static final String HANDLER = "kgw-flush-coalescing";

    private FlushCoalescing() {
    }

    /** For {@code HttpServer.connectionHandler}; a connection of an unexpected kind is left as it is. */
    public static void install(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            LOG.atDebug().addKeyValue("connection", connection.getClass().getName()).log("flush coalescing not installed");
            return;
        }
        Channel channel = base.channel();
        if (channel.pipeline().get(HANDLER) == null) {
            channel.pipeline().addLast(HANDLER, new FlushConsolidationHandler(MAX_HELD, true));
        }
    }
}
