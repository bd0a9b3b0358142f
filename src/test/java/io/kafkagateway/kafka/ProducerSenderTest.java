package io.kafkagateway.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProducerSenderTest {

    /** A producer whose metadata for each topic is there, not yet there, or refused, as the test says. */
    static final class ScriptedProducer extends MockProducer<byte[], byte[]> {

        final Set<String> withoutMetadata = ConcurrentHashMap.newKeySet();
        final Map<String, RuntimeException> refused = new ConcurrentHashMap<>();
        volatile RuntimeException refuseSends;

        ScriptedProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic) {
            RuntimeException refusal = refused.get(topic);
            if (refusal != null) {
                throw refusal;
            }
            if (withoutMetadata.contains(topic)) {
                throw new TimeoutException("Topic " + topic + " not present in metadata after 0 ms.");
            }
            return List.of();
        }

        /** Refuses at once, as the Java producer does when its buffer is full and it may not block. */
        @Override
        public synchronized java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            RuntimeException refusal = refuseSends;
            if (refusal != null) {
                callback.onCompletion(null, refusal);
                KafkaFutureImpl<RecordMetadata> failed = new KafkaFutureImpl<>();
                failed.completeExceptionally(refusal);
                return failed;
            }
            return super.send(record, callback);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final ScriptedProducer producer = new ScriptedProducer();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String value(ProducerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    @Test
    void recordsWaitForTheirTopicsMetadataInOrderWhileOtherTopicsFlow() {
        // Given
        ProducerSender sender = new ProducerSender("c", producer, Duration.ofSeconds(30));
        producer.withoutMetadata.add("slow");

        // When
        ProducerSender.Sent first = sender.send(record("slow", "s1"), context);
        ProducerSender.Sent second = sender.send(record("slow", "s2"), context);
        ProducerSender.Sent other = sender.send(record("fast", "f1"), context);

        // Then
        await().until(() -> other.delivered().succeeded());
        assertThat(producer.history()).extracting(ProducerSenderTest::value).containsExactly("f1");
        assertThat(first.accepted().isComplete()).isFalse();

        // When the metadata arrives
        producer.withoutMetadata.remove("slow");

        // Then
        await().until(() -> second.delivered().succeeded() && first.delivered().succeeded());
        assertThat(producer.history()).extracting(ProducerSenderTest::value).containsExactly("f1", "s1", "s2");
        assertThat(first.accepted().succeeded()).isTrue();
    }

    @Test
    void recordsWaitingForMetadataFailAtTheDeadline() {
        ProducerSender sender = new ProducerSender("c", producer, Duration.ofMillis(200));
        producer.withoutMetadata.add("gone");

        ProducerSender.Sent sent = sender.send(record("gone", "m"), context);

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.delivered().failed());
        assertThat(sent.accepted().failed()).isTrue();
        assertThat(sent.delivered().cause()).hasMessage("Kafka did not answer in time: no metadata for topic gone within 200ms (producer.timeout)");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aRefusedTopicFailsEveryWaitingRecordWithKafkasReasonAtOnce() {
        // Given: two records waiting for metadata
        ProducerSender sender = new ProducerSender("c", producer, Duration.ofSeconds(30));
        producer.withoutMetadata.add("secret");
        ProducerSender.Sent first = sender.send(record("secret", "a"), context);
        ProducerSender.Sent second = sender.send(record("secret", "b"), context);

        // When Kafka says no
        producer.refused.put("secret", new TopicAuthorizationException(Set.of("secret")));

        // Then
        await().atMost(Duration.ofSeconds(5)).until(() -> first.delivered().failed() && second.delivered().failed());
        assertThat(second.delivered().cause()).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aRecordTheProducerRefusesAtOnceIsNeverAccepted() {
        ProducerSender sender = new ProducerSender("c", producer, Duration.ofSeconds(30));
        producer.refuseSends = new BufferExhaustedException("buffer full");

        ProducerSender.Sent sent = sender.send(record("t", "m"), context);

        await().until(() -> sent.accepted().isComplete());
        assertThat(sent.accepted().cause()).isInstanceOf(BufferExhaustedException.class);
        assertThat(sent.delivered().failed()).isTrue();
    }

    @Test
    void closeFailsRecordsStillWaitingAndClosesTheProducer() {
        ProducerSender sender = new ProducerSender("c", producer, Duration.ofSeconds(30));
        producer.withoutMetadata.add("slow");
        ProducerSender.Sent waiting = sender.send(record("slow", "m"), context);

        Future<Void> closed = sender.close(Duration.ofSeconds(1), context);

        await().until(closed::succeeded);
        await().until(() -> waiting.delivered().failed());
        assertThat(waiting.delivered().cause()).hasMessageContaining("stopped before Kafka had metadata");
        assertThat(producer.closed()).isTrue();
    }
}
