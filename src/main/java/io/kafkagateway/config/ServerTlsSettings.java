package io.kafkagateway.config;

/** TLS for the gateway's own listeners (REST and gRPC): a PEM certificate chain and its PEM private key. */
public record ServerTlsSettings(String certificatePath, String keyPath) {

    public static final ServerTlsSettings NONE = new ServerTlsSettings(null, null);

    public ServerTlsSettings {
        certificatePath = Check.readableFile("certificate_path", certificatePath);
        keyPath = Check.readableFile("key_path", keyPath);
        Check.bothOrNeither("certificate_path", certificatePath, "key_path", keyPath);
    }

    public boolean enabled() {
        return certificatePath != null;
    }
}
