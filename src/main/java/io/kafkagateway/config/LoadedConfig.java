package io.kafkagateway.config;

import java.util.List;

/** A valid configuration and the warnings found while loading it (ignored compatibility keys and the like). */
public record LoadedConfig(GatewayConfig config, List<String> warnings) {

    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
