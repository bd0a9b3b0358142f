package io.kafkagateway.core;

import java.util.List;

/** The ids of a cluster's brokers, ascending. */
public record BrokerList(List<Integer> ids) {

    public BrokerList {
        ids = List.copyOf(ids);
    }
}
