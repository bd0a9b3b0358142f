package io.kafkagateway.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/** Looks at the broker directly (not through the gateway), to check what the gateway really did. */
public final class KafkaProbe implements AutoCloseable {

    private final String bootstrapServers;
    private final Admin admin;

    public KafkaProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** Creates a topic with a fresh name and waits until every partition has a leader. */
    public String newTopic(int partitions, Map<String, String> configs) {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        createTopic(name, partitions, configs);
        return name;
    }

    public String newTopic(int partitions) {
        return newTopic(partitions, Map.of());
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> endOffsets(name).size() == partitions);
    }

    /** The next offset of every partition of {@code topic}. */
    public Map<Integer, Long> endOffsets(String topic) {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset(), (a, b) -> a, TreeMap::new));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read offsets of " + topic, e);
        }
    }

    /** Waits until {@code topic} holds {@code count} records and returns them, by partition then offset. */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> endOffsets(topic).values().stream().mapToLong(Long::longValue).sum() >= count);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = endOffsets(topic).keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        records.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    /** How many records each partition gained since {@code before}. */
    public Map<Integer, Long> growth(String topic, Map<Integer, Long> before) {
        return endOffsets(topic).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue() - before.getOrDefault(e.getKey(), 0L), (a, b) -> a, TreeMap::new));
    }

    /** Writes {@code count} records (key {@code k<i>}, value {@code m<i>}) with a plain Kafka producer. */
    public void produce(String topic, int count) {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of(
                "bootstrap.servers", bootstrapServers, "linger.ms", 5,
                "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName(),
                "value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName()))) {
            for (int i = 0; i < count; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k" + i, "m" + i));
            }
            producer.flush();
        }
    }

    /** Waits until {@code group} is stable with {@code members} members owning {@code partitions} partitions between them. */
    public void awaitSettled(String group, int members, int partitions) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var description = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            long owned = description.members().stream().mapToLong(m -> m.assignment().topicPartitions().size()).sum();
            return description.members().size() == members && owned == partitions
                    && description.groupState() == org.apache.kafka.common.GroupState.STABLE;
        });
    }

    public Admin admin() {
        return admin;
    }

    public static <T> Map<T, Long> countBy(List<ConsumerRecord<byte[], byte[]>> records, Function<ConsumerRecord<byte[], byte[]>, T> key) {
        return records.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
