package io.kafkagateway.config;

/** SASL/PLAIN credentials for the cluster ({@code net.sasl}). */
public record SaslSettings(Boolean enable, String user, String password) {

    public static final SaslSettings DEFAULTS = new SaslSettings(null, null, null);

    public SaslSettings {
        enable = Check.orDefault(enable, false);
        if (enable && (user == null || user.isEmpty())) {
            throw new IllegalConfigurationException("user", "is required when net.sasl.enable is true");
        }
    }

    @Override
    public String toString() {
        return "SaslSettings[enable=" + enable + ", user=" + user + ", password=" + (password == null ? "null" : "[redacted]") + "]";
    }
}
