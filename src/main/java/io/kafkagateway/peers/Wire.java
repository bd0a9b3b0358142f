package io.kafkagateway.peers;

import com.google.protobuf.UnsafeByteOperations;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.RecordHeader;
import io.kafkagateway.peers.wire.Header;
import io.kafkagateway.peers.wire.PeerReply;
import io.kafkagateway.peers.wire.Record;

import java.util.ArrayList;
import java.util.List;

/** Messages and errors in their wire form between gateways, and back. */
final class Wire {

    private Wire() {
    }

    static Record record(ConsumedMessage message) {
        Record.Builder record = Record.newBuilder().setPartition(message.partition()).setOffset(message.offset())
                .setTimestamp(message.timestamp());
        if (message.key() != null) {
            record.setKey(UnsafeByteOperations.unsafeWrap(message.key()));
        }
        if (message.value() != null) {
            record.setValue(UnsafeByteOperations.unsafeWrap(message.value()));
        }
        for (RecordHeader header : message.headers()) {
            Header.Builder wire = Header.newBuilder().setKey(header.key());
            if (header.value() != null) {
                wire.setValue(UnsafeByteOperations.unsafeWrap(header.value()));
            }
            record.addHeaders(wire);
        }
        return record.build();
    }

    static ConsumedMessage message(String topic, Record record) {
        List<RecordHeader> headers = new ArrayList<>(record.getHeadersCount());
        for (Header header : record.getHeadersList()) {
            headers.add(new RecordHeader(header.getKey(), header.hasValue() ? header.getValue().toByteArray() : null));
        }
        return new ConsumedMessage(topic, record.getPartition(), record.getOffset(), record.getTimestamp(),
                record.hasKey() ? record.getKey().toByteArray() : null, record.hasValue() ? record.getValue().toByteArray() : null,
                headers);
    }

    static PeerReply error(Throwable failure) {
        GatewayException error = GatewayException.from(failure);
        return PeerReply.newBuilder().setErrorCode(error.code().name()).setErrorMessage(String.valueOf(error.getMessage())).build();
    }

    /** The gateway error a reply carries; null when it carries none. */
    static GatewayException failure(PeerReply reply) {
        if (reply.getErrorCode().isEmpty()) {
            return null;
        }
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(reply.getErrorCode());
        } catch (IllegalArgumentException unknown) {
            code = ErrorCode.UNKNOWN_SERVER_ERROR;
        }
        return new GatewayException(code, reply.getErrorMessage());
    }

    static final PeerReply OK = PeerReply.getDefaultInstance();
}
