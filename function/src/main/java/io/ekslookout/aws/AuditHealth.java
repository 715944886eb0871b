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
    public record Result(Status status, String message, Instant lastAuditIngestion,
                         java.util.Map<String, Status> clusters) {
        public Result {
            clusters = clusters == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clusters));
        }

        public Result(Status status, String message, Instant lastAuditIngestion) {
            this(status, message, lastAuditIngestion, java.util.Map.of());
        }

        /** The clusters whose log group is missing (a run of several leaves them out; the others run). */
        public java.util.List<String> missing() {
            return clusters.entrySet().stream().filter(e -> e.getValue() == Status.LOG_GROUP_MISSING)
                    .map(java.util.Map.Entry::getKey).toList();
        }
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
                DescribeLogStreamsResponse r = logs.describeLogStreams(b -> identify(b, target)
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

    /** A target given as an ARN (another account's group) goes in logGroupIdentifier, else its name. */
    private static software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsRequest.Builder identify(
            software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsRequest.Builder b,
            LogTarget target) {
        return target.arn() != null ? b.logGroupIdentifier(target.arn()) : b.logGroupName(target.logGroup());
    }

    /**
     * The check of several clusters at once, one call per cluster: one verdict for the run, with each cluster's
     * ({@link Result#clusters()}, by display name, in the order given). The run is {@link Status#LOG_GROUP_MISSING}
     * only when every cluster's group is; one silent or missing cluster among healthy ones is named in the message
     * (each problem's own message, joined by "; ") while the others are fine, and the status is then
     * {@link Status#NO_RECENT_AUDIT_EVENTS} (or UNKNOWN when a check failed).
     */
    public Result checkAll(java.util.List<LogTarget> targets, Instant now, Duration maxSilence) {
        if (targets.size() == 1) {
            Result r = check(targets.get(0), now, maxSilence);
            return new Result(r.status(), r.message(), r.lastAuditIngestion(),
                    java.util.Map.of(targets.get(0).displayName(), r.status()));
        }
        java.util.Map<String, Result> each = new java.util.LinkedHashMap<>();
        for (LogTarget t : targets) {
            each.put(t.displayName(), check(t, now, maxSilence));
        }
        java.util.Map<String, Status> statuses = new java.util.LinkedHashMap<>();
        each.forEach((k, v) -> statuses.put(k, v.status()));
        java.util.List<Result> bad = each.values().stream().filter(r -> r.status() != Status.OK).toList();
        Instant last = each.values().stream().map(Result::lastAuditIngestion).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        if (bad.isEmpty()) {
            return new Result(Status.OK, null, last, statuses);
        }
        boolean allMissing = bad.size() == each.size()
                && bad.stream().allMatch(r -> r.status() == Status.LOG_GROUP_MISSING);
        Status status = allMissing ? Status.LOG_GROUP_MISSING
                : bad.stream().anyMatch(r -> r.status() == Status.UNKNOWN) ? Status.UNKNOWN
                : Status.NO_RECENT_AUDIT_EVENTS;
        return new Result(status, String.join("; ", bad.stream().map(Result::message).toList()), last, statuses);
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }
}
