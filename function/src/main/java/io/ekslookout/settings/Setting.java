package io.ekslookout.settings;

/**
 * A setting of the scheduled detector that {@link RunSettings#check} validates. Each caller names it in its own
 * words (the Lambda by its environment variable, which is {@link #name()}; the CDK app by its context key), so the
 * same check gives each user the name they typed.
 */
public enum Setting {
    /** The EKS cluster (the Lambda may name a log group instead). */
    CLUSTER_NAME(null),
    /**
     * The clusters to watch: names and/or control-plane log group ARNs ({@link ClusterSource}), separated by commas;
     * CLUSTER_NAME is the one-cluster form of it.
     */
    CLUSTERS(null),
    /** The SNS topic findings are published to (the CDK app creates its own). */
    TOPIC_ARN(null),
    PERIOD("PT5M"),
    SETTLE_DELAY("PT2M"),
    LOOKBACK("PT15M"),
    /** {@code ingestion} or {@code event-time} (see {@link io.ekslookout.schedule.WindowPlanner}). */
    SCAN_MODE("ingestion"),
    /** D, how far behind its tick an {@code event-time} run's window ends. */
    SCAN_DELAY("PT10M"),
    AUDIT_SILENCE("PT3H"),
    MIN_SEVERITY("low"),
    MAX_CONCURRENT_QUERIES("10"),
    DIGEST_THRESHOLD("10");

    private final String defaultValue;

    Setting(String defaultValue) {
        this.defaultValue = defaultValue;
    }

    /** The value used when none is given, or null when the setting has no default. */
    public String defaultValue() {
        return defaultValue;
    }
}
