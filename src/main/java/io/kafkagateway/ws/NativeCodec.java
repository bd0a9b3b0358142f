package io.kafkagateway.ws;

import io.kafkagateway.core.AckRequest;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ProduceResult;
import io.kafkagateway.stream.Subscription;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * One framing of the native dialect: JSON text frames or protobuf binary frames. Decoding fails with INVALID_REQUEST
 * naming what is wrong; encoding makes the frame for each thing the gateway tells a client.
 */
interface NativeCodec {

    /** Binary frames rather than text frames. */
    boolean binary();

    /**
     * @param cluster the socket's cluster, which subscriptions get
     * @throws GatewayException INVALID_REQUEST for a frame this framing cannot use
     */
    NativeFrame decode(Buffer frame, String cluster);

    Buffer subscribed(Subscription subscription);

    Buffer message(ConsumedMessage message);

    /** Messages ready together, for a subscription that asked for batches. */
    Buffer batch(List<ConsumedMessage> messages);

    Buffer produced(String id, ProduceResult result);

    Buffer produceFailed(String id, GatewayException error);

    Buffer ackFailed(AckRequest ack, GatewayException error);

    /** {@code error} null: the client asked. */
    Buffer unsubscribed(GatewayException error);

    Buffer error(GatewayException error);
}
