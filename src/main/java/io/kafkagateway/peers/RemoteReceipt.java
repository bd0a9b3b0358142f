package io.kafkagateway.peers;

import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.Receipt;
import io.kafkagateway.peers.wire.Outcome;
import io.kafkagateway.peers.wire.PeerRequest;
import io.kafkagateway.peers.wire.Position;
import io.kafkagateway.peers.wire.Report;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The receipt of a batch another gateway handed out: what the front-end reports goes back to that gateway, which
 * settles the batch there. A report that is lost leaves the batch unreported: it is offered again after its ack
 * timeout.
 */
final class RemoteReceipt implements Receipt {

    private final Vertx vertx;
    private final String cluster;
    private final String owner;
    private final long receipt;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean returned = new AtomicBoolean();

    RemoteReceipt(Vertx vertx, String cluster, String owner, long receipt) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.owner = owner;
        this.receipt = receipt;
    }

    @Override
    public void delivered() {
        if (settled.compareAndSet(false, true)) {
            send(Report.newBuilder().setReceipt(receipt).setOutcome(Outcome.DELIVERED));
        }
    }

    @Override
    public void undelivered() {
        if (settled.compareAndSet(false, true)) {
            send(Report.newBuilder().setReceipt(receipt).setOutcome(Outcome.UNDELIVERED));
        }
    }

    @Override
    public void returned(List<ConsumedMessage> messages) {
        if (messages.isEmpty() || !returned.compareAndSet(false, true)) {
            return;
        }
        Report.Builder report = Report.newBuilder().setReceipt(receipt).setOutcome(Outcome.RETURNED);
        messages.forEach(m -> report.addReturned(Position.newBuilder().setPartition(m.partition()).setOffset(m.offset())));
        send(report);
    }

    private void send(Report.Builder report) {
        vertx.eventBus().send(owner, PeerRequest.newBuilder().setCluster(cluster).setReport(report).build());
    }
}
