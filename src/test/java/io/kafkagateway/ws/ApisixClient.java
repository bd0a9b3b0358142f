package io.kafkagateway.ws;

import com.google.protobuf.ByteString;
import io.kafkagateway.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import org.apache.apisix.api.pubsub.CmdKafkaFetch;
import org.apache.apisix.api.pubsub.CmdKafkaListOffset;
import org.apache.apisix.api.pubsub.CmdPing;
import org.apache.apisix.api.pubsub.KafkaMessage;
import org.apache.apisix.api.pubsub.PubSubReq;
import org.apache.apisix.api.pubsub.PubSubResp;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An APISIX pub-sub client for tests, as APISIX's own clients speak it: each command a binary PubSubReq frame with a
 * sequence of its own, each answer a binary PubSubResp frame.
 */
final class ApisixClient implements AutoCloseable {

    final WsClient.Conn conn;
    private long sequence = 100;

    ApisixClient(WsClient ws, String path) {
        this.conn = ws.connect(path);
    }

    static PubSubReq.Builder ping(String state) {
        return PubSubReq.newBuilder().setCmdPing(CmdPing.newBuilder().setState(ByteString.copyFromUtf8(state)));
    }

    static PubSubReq.Builder listOffset(String topic, int partition, long timestamp) {
        return PubSubReq.newBuilder().setCmdKafkaListOffset(CmdKafkaListOffset.newBuilder()
                .setTopic(topic).setPartition(partition).setTimestamp(timestamp));
    }

    static PubSubReq.Builder fetch(String topic, int partition, long offset) {
        return PubSubReq.newBuilder().setCmdKafkaFetch(CmdKafkaFetch.newBuilder()
                .setTopic(topic).setPartition(partition).setOffset(offset));
    }

    /** Sends {@code request} with the next sequence number, without waiting; returns that number. */
    long send(PubSubReq.Builder request) {
        long seq = ++sequence;
        conn.send(Buffer.buffer(request.setSequence(seq).build().toByteArray()));
        return seq;
    }

    /** The next frame, which must be a PubSubResp. */
    PubSubResp next() throws Exception {
        return PubSubResp.parseFrom(conn.binary().getBytes());
    }

    /** Sends {@code request} and returns its answer, which must carry its sequence. */
    PubSubResp call(PubSubReq.Builder request) throws Exception {
        long seq = send(request);
        PubSubResp response = next();
        assertThat(response.getSequence()).as("sequence echoed").isEqualTo(seq);
        return response;
    }

    long offset(String topic, int partition, long timestamp) throws Exception {
        PubSubResp response = call(listOffset(topic, partition, timestamp));
        assertThat(response.hasKafkaListOffsetResp()).as("a list-offset answer: %s", response).isTrue();
        return response.getKafkaListOffsetResp().getOffset();
    }

    List<KafkaMessage> messages(String topic, int partition, long offset) throws Exception {
        PubSubResp response = call(fetch(topic, partition, offset));
        assertThat(response.hasKafkaFetchResp()).as("a fetch answer: %s", response).isTrue();
        return response.getKafkaFetchResp().getMessagesList();
    }

    /** The ErrorResp message {@code request} is answered with (code 0). */
    String error(PubSubReq.Builder request) throws Exception {
        PubSubResp response = call(request);
        assertThat(response.hasErrorResp()).as("an error answer: %s", response).isTrue();
        assertThat(response.getErrorResp().getCode()).isZero();
        return response.getErrorResp().getMessage();
    }

    /** No frame comes within {@code millis}. */
    void assertSilentFor(long millis) throws InterruptedException {
        assertThat(conn.binaries.poll(millis, TimeUnit.MILLISECONDS)).as("no answer").isNull();
    }

    static String text(ByteString bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * A new one-partition topic on the cluster {@code clientConfig} reaches, holding {@code testmsg1}..{@code testmsgN}
     * at offsets 0..N-1, without keys.
     */
    static String filledTopic(Map<String, Object> clientConfig, int count) {
        String topic = "apisix-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(clientConfig)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + topic, e);
        }
        Map<String, Object> producer = new HashMap<>(clientConfig);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> kafka = new KafkaProducer<>(producer)) {
            for (int i = 1; i <= count; i++) {
                kafka.send(new ProducerRecord<>(topic, null, ("testmsg" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot fill " + topic, e);
        }
        return topic;
    }

    @Override
    public void close() {
        conn.close();
    }
}
