package io.kafkagateway.peers;

import io.kafkagateway.testing.FreePorts;
import io.kafkagateway.testing.GatewayProcess;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.OneShotHttp;
import io.kafkagateway.testing.OneShotHttp.Reply;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three gateway processes ({@code java -jar}), clustered on loopback, on a real broker, behind a client that sends
 * every request to the next gateway in turn on a new connection, as a round-robin load balancer would: one killed
 * with {@code kill -9} loses nothing, and a rolling restart fails requests only with 503 + Retry-After, or at the
 * stopping gateway with a connection refused (or reset before any answer, as TCP ends connections still queued on a
 * port that closes).
 */
@ExtendWith(KafkaClusterExtension.class)
class ScaleOutProcessIT {

    /** What an instance commits acknowledgements every (offsets_commit_interval), and the slack allowed around it. */
    private static final Duration COMMIT_WINDOW = Duration.ofMillis(200 + 1_800);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    private static final Path LOGS = Path.of("target", "scale-out-logs");
    private static final AtomicInteger RESETS = new AtomicInteger();

    static KafkaCluster cluster;
    private KafkaProbe kafka;
    private final List<Instance> instances = new ArrayList<>();

    /** One gateway: its ports stay the same across restarts. */
    private final class Instance {
        final int index;
        final int rest = FreePorts.belowEphemeral();
        final int management = FreePorts.belowEphemeral();
        final int discovery = FreePorts.belowEphemeral();
        final int bus = FreePorts.belowEphemeral();
        Path config;
        GatewayProcess process;
        int runs;

        Instance(int index) {
            this.index = index;
        }

        String id() {
            return "gw-" + index;
        }

        void start() throws IOException {
            runs++;
            process = GatewayProcess.start(LOGS, id() + "-run" + runs, rest, management, List.of("-Xmx256m"),
                    "-config", config.toString());
        }

        String metrics() {
            try {
                return process.getManagement("/metrics");
            } catch (Exception notAnswering) {
                return "";
            }
        }
    }

    @BeforeEach
    void startThree() throws Exception {
        Files.createDirectories(LOGS);
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        for (int i = 0; i < 3; i++) {
            instances.add(new Instance(i));
        }
        String members = String.join(", ", instances.stream().map(g -> "127.0.0.1:" + g.discovery).toList());
        for (Instance instance : instances) {
            instance.config = Files.writeString(LOGS.resolve(instance.id() + "-" + UUID.randomUUID() + ".yaml"), """
                    shutdown_drain: 2s
                    cluster: {enabled: true, instance_id: %s, host: 127.0.0.1, port: %d, discovery_port: %d, members: [%s]}
                    proxies:
                      default:
                        kafka: {seed_peers: [%s]}
                        consumer: {initial_offset: earliest, long_polling_timeout: 1s, ack_timeout: 60s,
                                   offsets_commit_interval: 200ms}
                    """.formatted(instance.id(), instance.bus, instance.discovery, members, cluster.getBootstrapServers()));
        }
        List<CompletableFuture<Void>> starting = instances.stream().map(instance -> CompletableFuture.runAsync(() -> {
            try {
                instance.start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        })).toList();
        starting.forEach(CompletableFuture::join);
        awaitMembers(instances, 3);
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Instance instance : instances) {
            if (instance.process != null) {
                instance.process.close();
            }
        }
        kafka.close();
    }

    private static void awaitMembers(List<Instance> which, int members) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                which.stream().allMatch(g -> g.metrics().contains("kgw_cluster_members " + members + ".0")));
    }

    private static String group() {
        return "g-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ConsumerGroupDescription describe(String group) throws Exception {
        return kafka.admin().describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
    }

    /** Every gateway joins the group; then it settles with three members owning all partitions. */
    private void join(String topic, String group, int partitions) {
        for (Instance instance : instances) {
            try {
                OneShotHttp.get(instance.rest, "/topics/" + topic + "/messages?group=" + group + "&noAck");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        kafka.awaitSettled(group, 3, partitions);
    }

    private static int partitionOf(Reply message) {
        return Integer.parseInt(message.body().replaceAll("(?s).*\"partition\":(\\d+).*", "$1"));
    }

    private static long offsetOf(Reply message) {
        return Long.parseLong(message.body().replaceAll("(?s).*\"offset\":(\\d+).*", "$1"));
    }

    /** The message's value (base64 in Pixy's JSON). */
    private static String valueOf(Reply message) {
        String encoded = message.body().replaceAll("(?s).*\"value\":\"([^\"]*)\".*", "$1");
        return new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void killMinusNineAtFortyPercentLosesNothingAndItsPartitionsComeBack() throws Exception {
        // Given: 3,000 messages on 4 partitions, and a group with a member on each gateway
        String topic = kafka.newTopic(4);
        String group = group();
        join(topic, group, 4);
        int count = 3_000;
        kafka.produce(topic, count);
        Instance victim = instances.get(1);
        Set<Integer> victimPartitions = new HashSet<>();

        // When: round robin, consume then acknowledge on the next gateway; gw-1 is killed once 40% came
        Map<String, Long> ackedAtNanos = new HashMap<>();
        Set<String> received = new HashSet<>();
        List<String> unexplainedDuplicates = new ArrayList<>();
        Map<Integer, Long> backAfterNanos = new HashMap<>();
        long killedAt = 0;
        long lastServed = System.nanoTime();
        long longestGap = 0;
        int deliveries = 0;
        int failedAcks = 0;
        int turn = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            if (killedAt == 0 && received.size() >= count * 4 / 10) {
                describe(group).members().stream().filter(m -> m.clientId().endsWith("-" + victim.id()))
                        .forEach(m -> m.assignment().topicPartitions().forEach(p -> victimPartitions.add(p.partition())));
                victim.process.process().destroyForcibly();
                assertThat(victim.process.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                killedAt = System.nanoTime();
            }
            Reply message;
            try {
                message = OneShotHttp.get(instances.get(turn++ % 3).rest, "/topics/" + topic + "/messages?group=" + group + "&noAck");
            } catch (IOException refusedOrCut) {
                continue;
            }
            if (message.status() != 200) {
                assertThat(message.status()).as(message.toString()).isIn(408, 503);
                continue;
            }
            long now = System.nanoTime();
            longestGap = Math.max(longestGap, now - lastServed);
            lastServed = now;
            deliveries++;
            int partition = partitionOf(message);
            long offset = offsetOf(message);
            String key = partition + "@" + offset;
            if (!received.add(key)) {
                Long acked = ackedAtNanos.get(key);
                if (acked != null && (killedAt == 0 || acked < killedAt - COMMIT_WINDOW.toNanos())) {
                    unexplainedDuplicates.add(key);
                }
            }
            if (killedAt != 0 && victimPartitions.contains(partition)) {
                backAfterNanos.putIfAbsent(partition, now - killedAt);
            }
            Reply ack;
            try {
                ack = OneShotHttp.post(instances.get(turn++ % 3).rest, "/topics/" + topic + "/acks?group=" + group
                        + "&partition=" + partition + "&offset=" + offset, "");
            } catch (IOException refusedOrCut) {
                failedAcks++;
                continue;
            }
            if (ack.status() == 200) {
                ackedAtNanos.put(key, System.nanoTime());
            } else {
                assertThat(ack.status()).as(ack.toString()).isIn(409, 503);
                failedAcks++;
            }
        }

        // Then: every message at least once; a message came twice only if its acknowledgement had not been committed
        // when the gateway died (not acknowledged, or acknowledged within the last commit interval)
        String figures = "deliveries " + deliveries + " of " + count + ", failed acks " + failedAcks + ", victim's partitions "
                + victimPartitions + " back after (ms) " + backAfterNanos.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() / 1_000_000).toList() + ", longest gap (ms) " + longestGap / 1_000_000;
        System.out.println("kill -9: " + figures);
        assertThat(received).as(figures).hasSize(count);
        assertThat(unexplainedDuplicates).as(figures).isEmpty();
        assertThat(victimPartitions).as("gw-1 owned partitions when killed").isNotEmpty();
        // Its partitions move once Kafka's session timeout gives up on it, then a rebalance hands them on.
        assertThat(backAfterNanos.keySet()).as(figures).isEqualTo(victimPartitions);
        assertThat(Collections.max(backAfterNanos.values())).as(figures)
                .isLessThan(SESSION_TIMEOUT.plusSeconds(5).toNanos());
        assertThat(longestGap).as("the other gateways served all along: " + figures).isLessThan(SESSION_TIMEOUT.toNanos());
        awaitMembers(List.of(instances.get(0), instances.get(2)), 2);
    }

    @Test
    void rollingRestartUnderLoadFailsOnlyWithRetryableAnswersAndLosesNothing() throws Exception {
        // Given: a group with a member on each gateway, a producer and a consumer going round robin
        String topic = kafka.newTopic(4);
        String group = group();
        join(topic, group, 4);
        AtomicInteger restarting = new AtomicInteger(-1);
        AtomicBoolean producing = new AtomicBoolean(true);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        List<String> wrongAnswers = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger acks409 = new AtomicInteger();
        AtomicInteger retryable = new AtomicInteger();
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            int sent = 0;
            while (producing.get()) {
                int target = sent % 3;
                String value = "r" + sent++;
                Reply reply = call(target, restarting, wrongAnswers, retryable, false,
                        () -> OneShotHttp.post(instances.get(target).rest, "/topics/" + topic + "/messages?sync&key=" + value, value));
                if (reply != null && reply.status() == 200) {
                    accepted.add(value);
                }
                pause(5);
            }
        });
        AtomicBoolean consuming = new AtomicBoolean(true);
        CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
            int turn = 0;
            while (consuming.get()) {
                int target = turn++ % 3;
                Reply message = call(target, restarting, wrongAnswers, retryable, false,
                        () -> OneShotHttp.get(instances.get(target).rest, "/topics/" + topic + "/messages?group=" + group + "&noAck"));
                if (message == null || message.status() != 200) {
                    continue;
                }
                received.add(valueOf(message));
                int next = turn++ % 3;
                Reply ack = call(next, restarting, wrongAnswers, retryable, true,
                        () -> OneShotHttp.post(instances.get(next).rest, "/topics/" + topic + "/acks?group=" + group
                                + "&partition=" + partitionOf(message) + "&offset=" + offsetOf(message), ""));
                if (ack != null && ack.status() == 409) {
                    acks409.incrementAndGet();
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 100);

        // When: each gateway in turn gets SIGTERM, exits, starts again and rejoins the others
        for (Instance instance : instances) {
            restarting.set(instance.index);
            assertThat(instance.process.terminate()).as(instance.process.output()).isZero();
            instance.start();
            awaitMembers(instances, 3);
            restarting.set(-1);
            int before = received.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() > before + 50);
        }
        producing.set(false);
        producer.get(30, TimeUnit.SECONDS);

        // Then: every accepted message reached the consumer; nothing failed but with a retryable answer
        await().atMost(Duration.ofSeconds(90)).until(() -> received.containsAll(accepted));
        consuming.set(false);
        consumer.get(30, TimeUnit.SECONDS);
        System.out.println("rolling restart: accepted " + accepted.size() + ", received " + received.size()
                + ", retryable failures " + retryable.get() + " (of them resets before any answer " + RESETS.get()
                + "), acks answered 409 " + acks409.get());
        assertThat(wrongAnswers).isEmpty();
        assertThat(accepted).hasSizeGreaterThan(300);
    }

    private interface Call {
        Reply send() throws IOException;
    }

    /**
     * Sends one request and sorts its outcome: success, 408 (nothing to consume) and 503 with Retry-After are
     * answers; a refused or cut connection is one only from the gateway being restarted; a 409 only for an
     * acknowledgement (its partition between owners: the message is offered again). Null when it failed as allowed.
     */
    private static Reply call(int target, AtomicInteger restarting, List<String> wrong, AtomicInteger retryable,
                              boolean ack, Call call) {
        int stopping = restarting.get();
        Reply reply;
        try {
            reply = call.send();
        } catch (IOException e) {
            // Refused, or reset or closed before any answer (a connection still queued when the stopping gateway
            // closed its port): not served, try another gateway. An answer cut half-way would be a fault.
            boolean notServed = e instanceof ConnectException || e instanceof OneShotHttp.NoAnswer
                    || e instanceof java.net.SocketException && "Connection reset".equals(e.getMessage());
            if (!notServed || (stopping != target && restarting.get() != target)) {
                wrong.add("gw-" + target + ": " + e + " (restarting gw-" + stopping + ")");
            } else if (!(e instanceof ConnectException)) {
                RESETS.incrementAndGet();
            }
            retryable.incrementAndGet();
            pause(20);
            return null;
        }
        boolean fine = reply.status() == 200 || reply.status() == 408 || ack && reply.status() == 409
                || reply.status() == 503 && reply.header("Retry-After") != null;
        if (!fine) {
            wrong.add("gw-" + target + ": " + reply);
        }
        if (reply.status() == 503) {
            retryable.incrementAndGet();
        }
        return reply;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
