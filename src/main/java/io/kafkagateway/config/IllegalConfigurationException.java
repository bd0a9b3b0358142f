package io.kafkagateway.config;

/**
 * A configuration the gateway cannot start with. The message names the key (as a dotted path from the top of the
 * file, e.g. {@code proxies.default.producer.retry_max}) and says what is allowed.
 */
public final class IllegalConfigurationException extends RuntimeException {

    private final String key;
    private final String problem;

    /** A problem with {@code key}, relative to the record that found it; the loader prefixes the record's path. */
    public IllegalConfigurationException(String key, String problem) {
        super(key == null || key.isEmpty() ? problem : key + ": " + problem, null, false, false);
        this.key = key;
        this.problem = problem;
    }

    /** A problem that is not about one key (e.g. an unreadable file). */
    public IllegalConfigurationException(String message) {
        this(null, message);
    }

    /** The same problem, with the key placed under {@code parentPath}. */
    public IllegalConfigurationException under(String parentPath) {
        if (parentPath == null || parentPath.isEmpty()) {
            return this;
        }
        return new IllegalConfigurationException(key == null || key.isEmpty() ? parentPath : parentPath + "." + key, problem);
    }
}
