package io.ekslookout.run;

import io.ekslookout.aws.LogTarget;
import io.ekslookout.schedule.ScanMode;

import java.time.Duration;

/**
 * What a scheduled run is assembled from ({@link Wiring#scheduledRun}). The Lambda's environment
 * ({@code io.ekslookout.lambda.Config}) is one source of it; this package does not know where the values come from.
 */
public interface ScheduledSettings {
    /** The first (for one cluster: the) cluster's log group. */
    LogTarget target();

    /** Every cluster's log group, in the order configured (the targets of the queries and of the health check). */
    java.util.List<LogTarget> targets();

    /** The deployment's name: the one cluster, or the first and how many more (metrics dimension Cluster). */
    String label();

    String topicArn();

    Duration period();

    Duration settleDelay();

    Duration lookback();

    String minSeverity();

    int maxConcurrentQueries();

    int digestThreshold();

    Duration auditSilence();

    boolean redactBodies();

    boolean securityHub();

    /** The EventBridge bus, or null. */
    String eventBus();

    /** True for the planned scan (one prefilter), false for one query per rule. */
    boolean plan();

    /** The alert-state table, or null. */
    String stateTable();

    Duration renotifyAfter();

    /** How scheduled runs tile time: by ingestion time with a lookback, or by event time behind a delay. */
    ScanMode scanMode();

    /** The event-time mode's delay behind each tick. */
    Duration scanDelay();
}
