package io.kafkagateway.peers;

import io.kafkagateway.peers.wire.PeerReply;
import io.kafkagateway.peers.wire.PeerRequest;
import io.vertx.core.eventbus.EventBus;

/** Registers the wire codecs of what gateways send each other. */
public final class PeerCodecs {

    private PeerCodecs() {
    }

    public static void register(EventBus bus) {
        bus.registerDefaultCodec(PeerRequest.class, new ProtoCodec<>("kgw-peer-request", PeerRequest::parseFrom,
                PeerRequest::getDefaultInstance));
        bus.registerDefaultCodec(PeerReply.class, new ProtoCodec<>("kgw-peer-reply", PeerReply::parseFrom,
                () -> PeerReply.newBuilder().setErrorCode("INVALID_REQUEST")
                        .setErrorMessage("the answer of another gateway does not decode").build()));
    }
}
