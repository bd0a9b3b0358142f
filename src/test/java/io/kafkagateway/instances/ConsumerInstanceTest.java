package io.kafkagateway.instances;

import io.kafkagateway.core.InstanceReply;
import io.kafkagateway.core.RecordFormat;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer instance's buffer and its poll thread's calls, with Kafka's mock consumer in place of a broker. */
class ConsumerInstanceTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final MockConsumer<byte[], byte[]> mock = new MockConsumer<>("earliest");
    private final ConsumerInstance instance = new ConsumerInstance("g", "c", RecordFormat.BINARY, false, 30_000, vertx, context);
    private final InstancePoller poller = new InstancePoller("g-c", mock, instance, instance::full, null);

    ConsumerInstanceTest() {
        instance.attach(poller);
    }

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void recordsFetchedBeforeARevocationOnThePollThreadAreNotReturned() throws Exception {
        // Given: 3 records buffered under epoch 0
        fetched(3, 10);

        // When: the poll thread moves the partition's epoch on (revocation or seek) before the event loop hears of it
        poller.newEpoch(P0);
        InstanceReply.Records answer = on(() -> instance.records(0, 1_000_000, null));

        // Then
        assertThat(answer.records()).isEmpty();
    }

    @Test
    void aRecordLargerThanMaxBytesIsReturnedAloneSoTheInstanceMovesOn() throws Exception {
        // Given
        fetched(2, 100);

        // When
        InstanceReply.Records first = on(() -> instance.records(0, 10, null));
        InstanceReply.Records second = on(() -> instance.records(0, 10, null));

        // Then
        assertThat(first.records()).extracting(InstanceReply.Record::offset).containsExactly(0L);
        assertThat(second.records()).extracting(InstanceReply.Record::offset).containsExactly(1L);
    }

    @Test
    void aRecordsRequestAfterCloseAnswersAtOnce() throws Exception {
        // When
        Future<InstanceReply.Records> late = onContext(() -> {
            instance.close();
            return instance.records(60_000, 1_000, null);
        });

        // Then
        assertThat(late.isComplete()).isTrue();
        assertThat(late.result().records()).isEmpty();
    }

    @Test
    void anAvroInstanceRefusesARecordWithoutTheWireFormatAndKeepsIt() throws Exception {
        // Given: an avro instance, one record whose value lacks the magic byte and schema id
        ConsumerInstance avro = new ConsumerInstance("g", "a", RecordFormat.AVRO, false, 30_000, vertx, context);
        avro.attach(new InstancePoller("g-a", mock, avro, avro::full, null));
        avro.records(new ConsumerRecords<>(Map.of(P0, List.of(new ConsumerRecord<>("t", 0, 0L, null,
                new byte[]{1, 2, 3, 4, 5, 6}))), Map.of()), Map.of(P0, 0L));
        onContext(() -> null);

        // When
        Future<InstanceReply.Records> first = onContext(() -> avro.records(0, 1_000, null));
        Future<InstanceReply.Records> second = onContext(() -> avro.records(0, 1_000, null));

        // Then: refused each time, the record still there
        assertThat(first.failed()).isTrue();
        assertThat(first.cause().getMessage()).contains("offset 0").contains("magic byte");
        assertThat(second.failed()).isTrue();
    }

    @Test
    void aCallWokenSeveralTimesStillRuns() throws Exception {
        // Given
        poller.start();
        AtomicInteger attempts = new AtomicInteger();

        // When: the call is woken three times (three other calls queued while it ran)
        String result = poller.call(c -> {
            if (attempts.incrementAndGet() <= 3) {
                throw new WakeupException();
            }
            return "done";
        }).get(10, TimeUnit.SECONDS);

        // Then
        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(4);
        poller.close(Map::of, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(poller.call(c -> "late")).isCompletedExceptionally();
    }

    @Test
    void theRevocationCommitOutlastsAWakeUp() {
        // Given: a consumer whose first commit is woken
        AtomicInteger commits = new AtomicInteger();
        MockConsumer<byte[], byte[]> woken = new MockConsumer<>("earliest") {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                if (commits.incrementAndGet() == 1) {
                    throw new WakeupException();
                }
                super.commitSync(offsets);
            }
        };
        woken.assign(List.of(P0));
        InstancePoller revoking = new InstancePoller("g-c", woken, instance, () -> false,
                partitions -> Map.of(P0, new OffsetAndMetadata(5)));

        // When
        revoking.onPartitionsRevoked(List.of(P0));

        // Then
        assertThat(woken.committed(java.util.Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(5));
        assertThat(revoking.epoch(P0)).isEqualTo(1);
    }

    /** {@code count} records of {@code size}-byte values on partition 0, handed over as a poll of epoch 0 would. */
    private void fetched(int count, int size) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ConsumerRecord<>("t", 0, i, null, new byte[size]));
        }
        instance.records(new ConsumerRecords<>(Map.of(P0, records), Map.of()), Map.of(P0, 0L));
        onContext(() -> null); // after the hand-over, which runs on the same event loop
    }

    private <T> T on(Supplier<Future<T>> work) throws Exception {
        return onContext(work).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private <T> T onContext(Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
