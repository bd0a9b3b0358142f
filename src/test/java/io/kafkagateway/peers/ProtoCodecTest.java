package io.kafkagateway.peers;

import io.kafkagateway.peers.wire.Ack;
import io.kafkagateway.peers.wire.PeerReply;
import io.kafkagateway.peers.wire.PeerRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProtoCodecTest {

    private final ProtoCodec<PeerRequest> codec = new ProtoCodec<>("test", PeerRequest::parseFrom, PeerRequest::getDefaultInstance);

    @Test
    void aRequestCrossesTheWireUnchangedAfterWhateverPrecedesIt() {
        PeerRequest request = PeerRequest.newBuilder().setCluster("c").setGroup("g").setTopic("t")
                .setAck(Ack.newBuilder().setPartition(3).setOffset(42)).build();
        Buffer wire = Buffer.buffer().appendString("header");
        codec.encodeToWire(wire, request);

        assertThat(codec.decodeFromWire(6, wire)).isEqualTo(request);
    }

    @Test
    void bytesThatDoNotDecodeBecomeAnEmptyMessageInsteadOfAnException() {
        Buffer garbage = Buffer.buffer().appendInt(5).appendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01});
        Buffer truncated = Buffer.buffer().appendInt(100).appendBytes(new byte[] {0x0a, 0x01});

        assertThat(codec.decodeFromWire(0, garbage).getKindCase()).isEqualTo(PeerRequest.KindCase.KIND_NOT_SET);
        assertThat(codec.decodeFromWire(0, truncated).getKindCase()).isEqualTo(PeerRequest.KindCase.KIND_NOT_SET);
    }

    @Test
    void aReplyThatDoesNotDecodeCarriesAnErrorTheAskingGatewayReports() {
        ProtoCodec<PeerReply> replies = new ProtoCodec<>("r", PeerReply::parseFrom,
                () -> PeerReply.newBuilder().setErrorCode("INVALID_REQUEST").build());
        Buffer garbage = Buffer.buffer().appendInt(3).appendBytes(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80});

        assertThat(Wire.failure(replies.decodeFromWire(0, garbage))).isNotNull();
        assertThat(Wire.failure(Wire.OK)).isNull();
    }
}
