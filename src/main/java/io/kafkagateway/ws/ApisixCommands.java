package io.kafkagateway.ws;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.kafkagateway.bus.ClusterClient;
import io.kafkagateway.config.ApisixDialectSettings;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.ListOffsetRequest;
import io.kafkagateway.core.ReadBatch;
import io.kafkagateway.core.ReadRequest;
import io.vertx.core.Future;
import org.apache.apisix.api.pubsub.CmdKafkaFetch;
import org.apache.apisix.api.pubsub.CmdKafkaListOffset;
import org.apache.apisix.api.pubsub.KafkaFetchResp;
import org.apache.apisix.api.pubsub.KafkaListOffsetResp;
import org.apache.apisix.api.pubsub.KafkaMessage;
import org.apache.apisix.api.pubsub.PongResp;
import org.apache.apisix.api.pubsub.PubSubReq;
import org.apache.apisix.api.pubsub.PubSubResp;

import java.time.Duration;

/**
 * What each APISIX command does, for one socket on one cluster: ping and empty on the spot, list-offset and fetch
 * through the cluster's verticle, fetches with the socket's own partition reader so that fetching on from where the
 * last fetch ended costs no seek. Every answer carries its command's sequence; a failure becomes an ErrorResp.
 */
final class ApisixCommands {

    private final ClusterClient clusters;
    private final String cluster;
    private final String reader;
    private final int maxFetchBytes;
    private final Duration fetchWait;
    private final Duration timeout;

    ApisixCommands(ClusterClient clusters, String cluster, String reader, ApisixDialectSettings settings) {
        this.clusters = clusters;
        this.cluster = cluster;
        this.reader = reader;
        this.maxFetchBytes = settings.maxFetchBytes();
        this.timeout = settings.timeout();
        this.fetchWait = settings.fetchWait();
    }

    /** The answer to {@code request}; never fails. */
    Future<PubSubResp> run(PubSubReq request) {
        Future<PubSubResp.Builder> answer = switch (request.getReqCase()) {
            case CMD_PING -> Future.succeededFuture(PubSubResp.newBuilder()
                    .setPongResp(PongResp.newBuilder().setState(request.getCmdPing().getState())));
            case CMD_KAFKA_LIST_OFFSET -> listOffset(request.getCmdKafkaListOffset());
            case CMD_KAFKA_FETCH -> fetch(request.getCmdKafkaFetch());
            default -> Future.succeededFuture(ApisixErrors.error(ApisixErrors.UNKNOWN_COMMAND));
        };
        return answer.map(response -> response.setSequence(request.getSequence()).build())
                .recover(failure -> Future.succeededFuture(failed(request, failure)));
    }

    /** The answer to {@code request} when it failed with {@code failure}. */
    static PubSubResp failed(PubSubReq request, Throwable failure) {
        return ApisixErrors.response(request, failure).setSequence(request.getSequence()).build();
    }

    private Future<PubSubResp.Builder> listOffset(CmdKafkaListOffset command) {
        if (command.getPartition() < 0) {
            return noPartition(command.getTopic(), command.getPartition());
        }
        return clusters.listOffset(cluster, new ListOffsetRequest(command.getTopic(), command.getPartition(),
                        command.getTimestamp(), timeout))
                .map(offset -> PubSubResp.newBuilder().setKafkaListOffsetResp(KafkaListOffsetResp.newBuilder().setOffset(offset)));
    }

    private Future<PubSubResp.Builder> fetch(CmdKafkaFetch command) {
        if (command.getPartition() < 0) {
            return noPartition(command.getTopic(), command.getPartition());
        }
        if (command.getOffset() < 0) {
            return Future.failedFuture(new GatewayException(ErrorCode.OFFSET_OUT_OF_RANGE,
                    "offset " + command.getOffset() + " is negative"));
        }
        return clusters.read(cluster, new ReadRequest(reader, command.getTopic(), command.getPartition(),
                        command.getOffset(), maxFetchBytes, fetchWait, timeout))
                .map(ApisixCommands::fetched);
    }

    private static PubSubResp.Builder fetched(ReadBatch batch) {
        KafkaFetchResp.Builder messages = KafkaFetchResp.newBuilder();
        for (ConsumedMessage m : batch.messages()) {
            messages.addMessages(KafkaMessage.newBuilder().setOffset(m.offset()).setTimestamp(m.timestamp())
                    .setKey(bytes(m.key())).setValue(bytes(m.value())));
        }
        return PubSubResp.newBuilder().setKafkaFetchResp(messages);
    }

    private static ByteString bytes(byte[] data) {
        return data == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(data);
    }

    private static <T> Future<T> noPartition(String topic, int partition) {
        return Future.failedFuture(new GatewayException(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                "topic " + topic + " has no partition " + partition));
    }
}
