package io.ekslookout.run;

import io.ekslookout.aws.LogTarget;
import io.ekslookout.schedule.ScanMode;

import java.time.Duration;

/**
 * What a scheduled run is assembled from ({@link Wiring#scheduledRun}). The Lambda's environment
 * ({@code io.ekslookout.lambda.Config}) is one source of it; this package does not know where the values come from.
 */
public interface ScheduledSettings {
    /** The cluster's log group (the target of the queries and of the audit-silence check). */
    LogTarget target();

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
