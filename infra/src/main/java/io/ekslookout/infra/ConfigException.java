package io.ekslookout.infra;

/**
 * A bad or missing setting. The message names the setting (the CDK context key, which is also the
 * {@link EksLookoutProps} property) and says what is expected; the app prints it instead of a stack trace.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The context key / property at fault. */
    public String key() {
        return key;
    }
}
