package io.kafkagateway.ws;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.WsClient;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.api.TerminationStyle;
import io.kroxylicious.testing.kafka.common.BrokerConfig;
import io.kroxylicious.testing.kafka.common.SaslMechanism;
import io.kroxylicious.testing.kafka.common.Tls;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.apisix.api.pubsub.PubSubResp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.stream.Collectors;

import static io.kafkagateway.ws.ApisixClient.fetch;
import static io.kafkagateway.ws.ApisixClient.listOffset;
import static org.assertj.core.api.Assertions.assertThat;

/** The APISIX dialect reaches each configured cluster with that cluster's TLS and SASL settings, and never hangs. */
@ExtendWith(KafkaClusterExtension.class)
class ApisixClustersIT {

    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster plain;
    @Tls
    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster tls;
    @SaslMechanism(principals = @SaslMechanism.Principal(user = "alice", password = "alice-secret"))
    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster sasl;
    /** Reached by {@link #gateway}'s cluster {@code doomed}, and made unreachable by one test. */
    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster doomed;
    static GatewayTester gateway;
    static WsClient ws;

    @BeforeAll
    static void start() {
        gateway = GatewayTester.start("proxies:\n"
                + "  default:\n    kafka: {seed_peers: [" + plain.getBootstrapServers() + "]}\n"
                + "  tls:\n    kafka:\n      seed_peers: [" + tls.getBootstrapServers() + "]\n      tls: true\n"
                + "      properties: {" + sslProperties(tls.getKafkaClientConfiguration()) + "}\n"
                + "  sasl:\n    kafka: {seed_peers: [" + sasl.getBootstrapServers() + "]}\n"
                + "    net: {sasl: {enable: true, user: alice, password: alice-secret}}\n"
                + "  doomed:\n    kafka: {seed_peers: [" + doomed.getBootstrapServers() + "]}\n"
                + "    net: {dial_timeout: 1s, read_timeout: 2s}\n"
                + "websocket: {apisix: {timeout: 2s}}\n");
        ws = new WsClient(gateway.baseUrl());
    }

    @AfterAll
    static void stop() {
        ws.close();
        gateway.close();
    }

    /** The TLS settings Kroxylicious hands its clients (truststore), as pass-through properties; no host name check. */
    private static String sslProperties(Map<String, Object> client) {
        String truststore = client.entrySet().stream().filter(e -> e.getKey().startsWith("ssl.truststore."))
                .map(e -> e.getKey() + ": \"" + e.getValue() + "\"").collect(Collectors.joining(", "));
        return truststore + ", ssl.endpoint.identification.algorithm: \"\"";
    }

    @Test
    void aTlsClusterAnswers() throws Exception {
        assertServes(tls, "/clusters/tls/kafka");
    }

    @Test
    void aSaslPlainClusterAnswers() throws Exception {
        assertServes(sasl, "/clusters/sasl/kafka");
    }

    /** The 30-message scenario topic on {@code broker}, listed and fetched through {@code path}. */
    private static void assertServes(KafkaCluster broker, String path) throws Exception {
        String topic = ApisixClient.filledTopic(broker.getKafkaClientConfiguration(), 30);
        try (ApisixClient client = new ApisixClient(ws, path)) {
            assertThat(client.offset(topic, 0, -1)).isEqualTo(30);
            assertThat(ApisixClient.text(client.messages(topic, 0, 29).get(0).getValue())).isEqualTo("testmsg30");
        }
    }

    @Test
    void eachClusterPathReachesItsOwnCluster() throws Exception {
        String topic = ApisixClient.filledTopic(plain.getKafkaClientConfiguration(), 3);
        try (ApisixClient onDefault = new ApisixClient(ws, "/kafka");
             ApisixClient onTls = new ApisixClient(ws, "/clusters/tls/kafka")) {
            assertThat(onDefault.offset(topic, 0, -1)).isEqualTo(3);
            assertThat(onTls.error(listOffset(topic, 0, -1))).endsWith("err: not found topic");
        }
    }

    @Test
    void unreachableBrokersAnswerAnErrorWithinTheTimeout() throws Exception {
        // Given: a topic the cluster held, then the cluster went away
        String topic = ApisixClient.filledTopic(doomed.getKafkaClientConfiguration(), 30);
        try (ApisixClient client = new ApisixClient(ws, "/clusters/doomed/kafka")) {
            assertThat(client.offset(topic, 0, -1)).isEqualTo(30);
            assertThat(client.messages(topic, 0, 0)).isNotEmpty();
            doomed.stopNodes(node -> true, TerminationStyle.ABRUPT);

            // When / Then: each command is answered within the 2 s timeout (and some margin), never hangs; the fetch may
            // first wait for the list-offset call that timed out to settle, as a socket has one call under way at most
            long started = System.nanoTime();
            String listError = client.error(listOffset(topic, 0, -1));
            assertThat(elapsedMillis(started)).isLessThan(4_000);
            assertThat(listError).isEqualTo("failed to list offset, topic: " + topic + ", partition: 0, err: REQUEST_TIMED_OUT");

            started = System.nanoTime();
            PubSubResp fetched = client.call(fetch(topic, 0, 5));
            assertThat(elapsedMillis(started)).isLessThan(8_000);
            assertThat(fetched.hasErrorResp()).as("fetch answer %s", fetched).isTrue();
            assertThat(fetched.getErrorResp().getMessage())
                    .isEqualTo("failed to fetch message, topic: " + topic + ", partition: 0, err: REQUEST_TIMED_OUT");
            // the socket still answers what needs no broker
            assertThat(client.call(ApisixClient.ping("alive")).hasPongResp()).isTrue();
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
