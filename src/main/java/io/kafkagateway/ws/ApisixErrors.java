package io.kafkagateway.ws;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import org.apache.apisix.api.pubsub.ErrorResp;
import org.apache.apisix.api.pubsub.PubSubReq;
import org.apache.apisix.api.pubsub.PubSubResp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The APISIX dialect's one place that renders a failure: an {@link ErrorResp} (code 0, as upstream) whose message is
 * APISIX's text for the command, {@code failed to list offset, topic: <t>, partition: <p>, err: <e>} or
 * {@code failed to fetch message, ...}, where {@code <e>} is the Kafka error's name, as APISIX clients match on it.
 */
final class ApisixErrors {

    static final String UNKNOWN_COMMAND = "unknown command";
    static final String NOT_FOUND_TOPIC = "not found topic";

    private static final Logger LOG = LoggerFactory.getLogger(ApisixErrors.class);

    private ApisixErrors() {
    }

    /** The answer to {@code request} when it failed with {@code failure}; its sequence is left to the caller. */
    static PubSubResp.Builder response(PubSubReq request, Throwable failure) {
        return switch (request.getReqCase()) {
            case CMD_KAFKA_LIST_OFFSET -> error("failed to list offset, topic: " + request.getCmdKafkaListOffset().getTopic()
                    + ", partition: " + request.getCmdKafkaListOffset().getPartition() + ", err: " + name(failure));
            case CMD_KAFKA_FETCH -> error("failed to fetch message, topic: " + request.getCmdKafkaFetch().getTopic()
                    + ", partition: " + request.getCmdKafkaFetch().getPartition() + ", err: " + name(failure));
            default -> error(UNKNOWN_COMMAND);
        };
    }

    static PubSubResp.Builder error(String message) {
        return PubSubResp.newBuilder().setErrorResp(ErrorResp.newBuilder().setCode(0).setMessage(message));
    }

    /** The {@code err: <e>} part: upstream's words for a missing topic, otherwise Kafka's name for the error. */
    static String name(Throwable failure) {
        GatewayException error = GatewayException.from(failure);
        return switch (error.code()) {
            case UNKNOWN_TOPIC_OR_PARTITION -> NOT_FOUND_TOPIC;
            case KAFKA_ERROR -> kafkaName(error.getMessage());
            // Kafka did not answer in time: Kafka's own name for that.
            case SERVICE_UNAVAILABLE -> ErrorCode.REQUEST_TIMED_OUT.name();
            case UNKNOWN_SERVER_ERROR -> {
                LOG.atError().setCause(failure).log("APISIX command failed unexpectedly");
                yield error.code().name();
            }
            default -> error.code().name();
        };
    }

    /** KAFKA_ERROR messages start with Kafka's {@code Errors} name: {@code "NOT_LEADER_OR_FOLLOWER: ..."}. */
    private static String kafkaName(String message) {
        int colon = message.indexOf(':');
        return colon > 0 ? message.substring(0, colon) : message;
    }
}
