package io.kafkagateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for listeners a test configures. */
public final class FreePorts {

    private FreePorts() {
    }

    private static final java.util.concurrent.atomic.AtomicInteger BELOW_EPHEMERAL =
            new java.util.concurrent.atomic.AtomicInteger(21_000 + new java.util.Random().nextInt(8_000));

    /**
     * A free port below Linux's ephemeral range (32768 on), so that no outgoing connection can be using it by the time
     * a listener binds it: for tests whose processes open many connections while others are still starting.
     */
    public static int belowEphemeral() {
        for (int i = 0; i < 2_000; i++) {
            int port = BELOW_EPHEMERAL.getAndIncrement();
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port below the ephemeral range");
    }

    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
