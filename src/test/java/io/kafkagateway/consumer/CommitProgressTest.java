package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A point counts as committed only once Kafka confirmed it. */
class CommitProgressTest {

    private static final OffsetAndMetadata FIVE = new OffsetAndMetadata(5, "");
    private static final OffsetAndMetadata SIX = new OffsetAndMetadata(6, "");

    @Test
    void aPointKafkaHoldsIsNotSentAgain() {
        CommitProgress progress = new CommitProgress(FIVE);
        assertThat(progress.due(new OffsetAndMetadata(5, ""))).isNull();
    }

    @Test
    void aFailedCommitIsSentAgainAndOneCommitIsInFlightAtATime() {
        CommitProgress progress = new CommitProgress(null);
        OffsetAndMetadata sent = progress.due(FIVE);
        assertThat(sent).isEqualTo(FIVE);
        assertThat(progress.due(SIX)).as("one commit in flight at a time").isNull();

        progress.answered(sent, false);
        assertThat(progress.confirmed()).isNull();
        OffsetAndMetadata again = progress.due(SIX);
        assertThat(again).isEqualTo(SIX);

        progress.answered(again, true);
        assertThat(progress.confirmed()).isEqualTo(SIX);
        assertThat(progress.due(SIX)).isNull();
    }

    @Test
    void anAnswerForAnotherCommitChangesNothing() {
        CommitProgress progress = new CommitProgress(null);
        OffsetAndMetadata sent = progress.due(FIVE);
        progress.answered(new OffsetAndMetadata(5, ""), true);
        assertThat(progress.confirmed()).isNull();
        progress.answered(sent, true);
        assertThat(progress.confirmed()).isEqualTo(FIVE);
    }
}
