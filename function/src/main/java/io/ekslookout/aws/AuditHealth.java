package io.ekslookout.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.time.Duration;
import java.time.Instant;

/**
 * A free health check (DescribeLogStreams, no bytes scanned): does the log group exist, and did any
 * {@code kube-apiserver-audit-*} stream receive events recently? No audit events for hours usually means audit
 * logging was switched off, and every audit rule is then blind.
 */
public final class AuditHealth {
    private static final int MAX_PAGES = 20;

    /** The check's verdict. */
    public enum Status { OK, LOG_GROUP_MISSING, NO_RECENT_AUDIT_EVENTS, UNKNOWN }

    /**
     * @param status  the verdict
     * @param message a one-line explanation (null when OK)
     * @param lastAuditIngestion the latest ingestion time seen on an audit stream, or null
     */
    public record Result(Status status, String message, Instant lastAuditIngestion) {
    }

    private final CloudWatchLogsClient logs;

    public AuditHealth(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    public Result check(LogTarget target, Instant now, Duration maxSilence) {
        Long latest = null;
        String token = null;
        try {
            for (int page = 0; page < MAX_PAGES; page++) {
                String t = token;
                DescribeLogStreamsResponse r = logs.describeLogStreams(b -> b.logGroupName(target.logGroup())
                        .logStreamNamePrefix("kube-apiserver-audit").nextToken(t));
                for (LogStream s : r.logStreams()) {
                    Long v = max(s.lastIngestionTime(), s.lastEventTimestamp());
                    if (v != null && (latest == null || v > latest)) {
                        latest = v;
                    }
                }
                token = r.nextToken();
                if (token == null || r.logStreams().isEmpty()) {
                    break;
                }
            }
        } catch (ResourceNotFoundException e) {
            return new Result(Status.LOG_GROUP_MISSING, target.missingLogGroupMessage(), null);
        } catch (SdkException e) {
            return new Result(Status.UNKNOWN, "audit health check failed: " + e.getMessage(), null);
        }
        if (latest == null) {
            return new Result(Status.NO_RECENT_AUDIT_EVENTS, "no kube-apiserver-audit log stream in "
                    + target.logGroup() + ": audit logging is not enabled for " + target.displayName()
                    + ", so audit rules cannot fire", null);
        }
        Instant last = Instant.ofEpochMilli(latest);
        if (last.isBefore(now.minus(maxSilence))) {
            return new Result(Status.NO_RECENT_AUDIT_EVENTS, "no kube-apiserver-audit events since " + last
                    + " (more than " + maxSilence.toHours() + " h): was audit logging switched off for "
                    + target.displayName() + "?", last);
        }
        return new Result(Status.OK, null, last);
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }
}
