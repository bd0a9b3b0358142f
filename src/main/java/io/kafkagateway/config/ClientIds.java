package io.kafkagateway.config;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The client id a gateway process uses when the config gives none: host, start time and pid, as Kafka-Pixy did. */
final class ClientIds {

    private static final String GENERATED = "kafka-gateway_" + hostName() + "_"
            + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH.mm.ss'Z'").withZone(ZoneOffset.UTC).format(Instant.now())
            + "_" + ProcessHandle.current().pid();

    private ClientIds() {
    }

    static String generated() {
        return GENERATED;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}
