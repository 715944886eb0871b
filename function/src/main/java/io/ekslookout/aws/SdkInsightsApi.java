package io.ekslookout.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatistics;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartQueryRequest;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link InsightsApi} over the AWS SDK v2 CloudWatch Logs client; maps SDK exceptions to the interface's. */
public final class SdkInsightsApi implements InsightsApi {
    private final CloudWatchLogsClient logs;

    public SdkInsightsApi(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    @Override
    public String startQuery(String logGroup, long startSeconds, long endSeconds, String queryText, int limit) {
        try {
            return logs.startQuery(r -> r.logGroupName(logGroup).startTime(startSeconds).endTime(endSeconds)
                    .queryString(queryText).limit(limit)).queryId();
        } catch (SdkException e) {
            throw map(e);
        }
    }

    @Override
    public String startQuery(List<String> logGroups, long startSeconds, long endSeconds, String queryText,
                             int limit) {
        try {
            return logs.startQuery(request(logGroups, startSeconds, endSeconds, queryText, limit)).queryId();
        } catch (SdkException e) {
            throw map(e);
        }
    }

    /**
     * The StartQuery request for these log groups: one name in {@code logGroupName}; several names in
     * {@code logGroupNames}; as soon as one is an ARN (a linked source account's group, from a monitoring account)
     * all of them in {@code logGroupIdentifiers}, which takes names and ARNs alike. Never two of these in one call.
     */
    static StartQueryRequest request(List<String> logGroups, long startSeconds, long endSeconds, String queryText,
                                     int limit) {
        if (logGroups.isEmpty() || logGroups.size() > MAX_LOG_GROUPS) {
            throw new IllegalArgumentException("StartQuery takes 1 to " + MAX_LOG_GROUPS + " log groups, got "
                    + logGroups.size());
        }
        StartQueryRequest.Builder b = StartQueryRequest.builder().startTime(startSeconds).endTime(endSeconds)
                .queryString(queryText).limit(limit);
        if (logGroups.stream().anyMatch(g -> g.startsWith("arn:"))) {
            b.logGroupIdentifiers(logGroups);
        } else if (logGroups.size() == 1) {
            b.logGroupName(logGroups.get(0));
        } else {
            b.logGroupNames(logGroups);
        }
        return b.build();
    }

    @Override
    public Poll getQueryResults(String queryId) {
        GetQueryResultsResponse r;
        try {
            r = logs.getQueryResults(b -> b.queryId(queryId));
        } catch (SdkException e) {
            throw map(e);
        }
        List<List<Map.Entry<String, String>>> rows = new ArrayList<>();
        for (List<ResultField> fields : r.results()) {
            List<Map.Entry<String, String>> row = new ArrayList<>(fields.size());
            for (ResultField f : fields) {
                row.add(new AbstractMap.SimpleImmutableEntry<>(f.field(), f.value()));
            }
            rows.add(row);
        }
        QueryStatistics s = r.statistics();
        return new Poll(r.statusAsString(), rows, s == null ? 0 : toLong(s.recordsScanned()),
                s == null ? 0 : toLong(s.bytesScanned()), s == null ? 0 : toLong(s.recordsMatched()));
    }

    @Override
    public void stopQuery(String queryId) {
        try {
            logs.stopQuery(b -> b.queryId(queryId));
        } catch (SdkException e) {
            throw map(e);
        }
    }

    private static long toLong(Double d) {
        return d == null ? 0 : Math.round(d);
    }

    /** The SDK exception as this interface's error, its message from {@link AwsErrors} (one line, the fix). */
    static ApiError map(SdkException e) {
        if (e instanceof LimitExceededException) {
            return new Throttled(oneLine(e));
        }
        if (e instanceof ResourceNotFoundException) {
            return new LogGroupNotFound(oneLine(e));
        }
        AwsErrors.Problem p = AwsErrors.describe(e, "CloudWatch Logs");
        return switch (p.kind()) {
            case THROTTLED -> new Throttled(p.message());
            case LOG_GROUP_MISSING -> new LogGroupNotFound(p.message());
            default -> new ApiError(p.kind(), p.message());
        };
    }

    private static String oneLine(Throwable e) {
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String oneLine(String m) {
        return m.replaceAll("\\s+", " ").trim();
    }
}
