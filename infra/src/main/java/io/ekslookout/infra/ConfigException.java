package io.ekslookout.infra;

import io.ekslookout.settings.RunSettings;
import java.util.List;
import java.util.stream.Collectors;

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

    private ConfigException(String key, String message, boolean whole) {
        super(message);
        this.key = key;
    }

    /**
     * The problems of the shared settings check ({@link RunSettings#check}), named by context key: all of them in
     * the message ("schedule: ...; lookback: ..."), the first one's key as {@link #key()}.
     */
    static ConfigException of(List<RunSettings.Problem> problems) {
        return new ConfigException(problems.get(0).name(),
                problems.stream().map(RunSettings.Problem::text).collect(Collectors.joining("; ")), true);
    }

    /** The context key / property at fault. */
    public String key() {
        return key;
    }
}
