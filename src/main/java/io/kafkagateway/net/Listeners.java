package io.kafkagateway.net;

import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.GatewayConfig;
import io.kafkagateway.config.ServerTlsSettings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

import java.time.Duration;

/** What every API listener of the gateway shares: its TLS, and how long a stopping listener lets requests finish. */
public final class Listeners {

    private Listeners() {
    }

    /**
     * {@code options} with the gateway's certificate when {@code tls.*} is set; ALPN for listeners that speak HTTP/2.
     * A listener without HTTP/2 takes no cleartext HTTP/2 either, so that each connection is set up (and bounded,
     * {@link ListenerGuards}) as soon as it is accepted, not once its first request has arrived.
     */
    public static HttpServerOptions withTls(HttpServerOptions options, ServerTlsSettings tls, boolean alpn) {
        if (!alpn) {
            options.setHttp2ClearTextEnabled(false);
        }
        if (tls.enabled()) {
            options.setSsl(true).setUseAlpn(alpn).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(tls.certificatePath()).setKeyPath(tls.keyPath()));
        }
        return options;
    }

    /** How long requests under way may take to finish once a listener stops: the longest producer shutdown timeout. */
    public static Duration shutdownGrace(GatewayConfig config) {
        return config.proxies().values().stream().map(ClusterConfig::producer).map(p -> p.shutdownTimeout())
                .max(Duration::compareTo).orElse(Duration.ofSeconds(30));
    }
}
