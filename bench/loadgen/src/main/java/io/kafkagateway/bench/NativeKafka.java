package io.kafkagateway.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static io.kafkagateway.bench.LoadGen.log;
import static io.kafkagateway.bench.LoadGen.result;

/** The baselines: kafka-clients' own producer and consumer against the same broker, and topic set-up. */
final class NativeKafka {

    private NativeKafka() {
    }

    /**
     * The gateway's producer settings (KafkaClientProperties with conf/default.yaml): acks=all, snappy, linger capped at
     * 1 ms, batches capped at 256 KiB, idempotent. The baseline differs from the gateway only by the gateway's hop.
     */
    static Properties producerProperties(Args args) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    static int createTopics(Args args) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : args.str("topics", "").split(",")) {
            if (!name.isBlank()) {
                topics.add(new NewTopic(name.trim(), args.integer("partitions", 1), (short) 1));
            }
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap());
        try (Admin admin = Admin.create(p)) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            // Wait until every topic has a leader, so the first measured request does not wait for metadata.
            for (NewTopic t : topics) {
                admin.describeTopics(List.of(t.name())).allTopicNames().get();
            }
        }
        result("topics", topics.size());
        return 0;
    }

    /** Creates the topic and writes {@code count} messages into it with the native producer. */
    static int prefill(Args args) throws Exception {
        createTopics(args);
        String topic = args.str("topics", "");
        long count = args.integer("count", 200_000);
        byte[] value = args.payload();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(args))) {
            for (long i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, value), (md, e) -> {
                    if (e != null) {
                        failed.increment();
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        log("prefilled %s with %d messages in %.1f s", topic, count, seconds);
        result("messages", count - failed.sum());
        result("failed", failed.sum());
        return failed.sum() == 0 ? 0 : 1;
    }

    /** Fire-and-forget: send as fast as the producer takes records, count acknowledgements in callbacks. */
    static int produceAsync(Args args) {
        String topic = args.str("topic", "bench-native-async");
        byte[] value = args.payload();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(args))) {
            sendFor(producer, topic, value, args.seconds("warmup", 1));
            LongAdder acked = new LongAdder();
            LongAdder failed = new LongAdder();
            CpuWindow cpu = CpuWindow.begin();
            long start = System.nanoTime();
            long end = start + (long) (args.seconds("duration", 5) * 1e9);
            while (System.nanoTime() < end) {
                producer.send(new ProducerRecord<>(topic, value), (md, e) -> (e == null ? acked : failed).increment());
            }
            producer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            cpu.end();
            result("msgs_per_s", acked.sum() / seconds);
            result("messages", acked.sum());
            result("failed", failed.sum());
            cpu.print();
        }
        return 0;
    }

    private static void sendFor(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            producer.send(new ProducerRecord<>(topic, value));
        }
        producer.flush();
    }

    /** {@code threads} threads share one producer, each doing send().get() in a loop; latency of every send. */
    static int produceSync(Args args) throws Exception {
        String topic = args.str("topic", "bench-native-sync");
        byte[] value = args.payload();
        int threads = args.integer("threads", 64);
        long t0 = System.nanoTime();
        long measureFrom = t0 + (long) (args.seconds("warmup", 1) * 1e9);
        long measureTo = measureFrom + (long) (args.seconds("duration", 5) * 1e9);
        AtomicLong failed = new AtomicLong();
        CpuWindow cpu = CpuWindow.between(measureFrom, measureTo);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(args))) {
            producer.send(new ProducerRecord<>(topic, value)).get();
            List<Thread> workers = new ArrayList<>();
            List<Latencies> samples = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Latencies mine = new Latencies();
                samples.add(mine);
                Thread worker = new Thread(() -> {
                    while (true) {
                        long begin = System.nanoTime();
                        if (begin >= measureTo) {
                            return;
                        }
                        try {
                            producer.send(new ProducerRecord<>(topic, value)).get();
                            if (begin >= measureFrom) {
                                mine.add(System.nanoTime() - begin);
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                }, "sync-" + i);
                workers.add(worker);
                worker.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            Latencies all = Latencies.merge(samples);
            result("msgs_per_s", all.count() / ((measureTo - measureFrom) / 1e9));
            result("messages", all.count());
            result("failed", failed.get());
            result("p50_ms", all.percentile(50) / 1e6);
            result("p99_ms", all.percentile(99) / 1e6);
            cpu.print();
        }
        return 0;
    }

    /** A fresh group reads {@code count} messages from the start; the rate runs from the first record to the last. */
    static int consume(Args args) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, args.str("group", "bench-native"));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // As the gateway's consumers (conf/default.yaml): fetch.max.wait 250 ms, 1 MiB per partition.
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "250");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(1024 * 1024));
        long count = args.integer("count", 200_000);
        long deadline = System.nanoTime() + (long) (args.seconds("timeout", 60) * 1e9);
        long received = 0;
        long first = 0;
        long last = 0;
        CpuWindow cpu = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(args.str("topic", "bench-consume")));
            while (received < count && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    if (first == 0) {
                        first = System.nanoTime();
                        cpu = CpuWindow.begin();
                    }
                    received += records.count();
                    last = System.nanoTime();
                }
            }
            if (cpu != null) {
                cpu.end();
            }
        }
        return Rates.consumed(received, count, first, last, cpu);
    }

    /** Latency samples in nanoseconds. */
    static final class Latencies {
        private long[] values = new long[1 << 14];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        int count() {
            return size;
        }

        double percentile(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted[(int) Math.min(size - 1, Math.ceil(p / 100 * size) - 1)];
        }

        static Latencies merge(List<Latencies> parts) {
            Latencies all = new Latencies();
            for (Latencies l : parts) {
                for (int i = 0; i < l.size; i++) {
                    all.add(l.values[i]);
                }
            }
            return all;
        }
    }
}
