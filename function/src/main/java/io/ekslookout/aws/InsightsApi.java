package io.ekslookout.aws;

import java.util.List;
import java.util.Map;

/**
 * The three CloudWatch Logs Insights calls the back end needs, small enough to fake in tests.
 * {@link SdkInsightsApi} is the real one (AWS SDK v2); tests use an in-memory fake to produce what a local mock
 * cannot (throttling, the row cap, Failed/Cancelled statuses, slow queries).
 */
public interface InsightsApi {

    /**
     * Starts a query. Times are epoch <b>seconds</b>, both inclusive (as StartQuery defines them).
     *
     * @throws Throttled        on LimitExceededException / ThrottlingException: retry later
     * @throws LogGroupNotFound when the log group does not exist
     * @throws ApiError         any other error (malformed query, access denied, ...)
     */
    String startQuery(String logGroup, long startSeconds, long endSeconds, String queryText, int limit);

    /** The most log groups one StartQuery takes ({@code logGroupNames} or {@code logGroupIdentifiers}). */
    int MAX_LOG_GROUPS = 50;

    /**
     * Starts one query over several log groups (at most {@link #MAX_LOG_GROUPS}): names, or ARNs of log groups of
     * linked source accounts (a monitoring account). Rows tell the groups apart by {@code @log}. One name goes the
     * single-group way.
     */
    default String startQuery(java.util.List<String> logGroups, long startSeconds, long endSeconds, String queryText,
                              int limit) {
        if (logGroups.size() == 1 && !logGroups.get(0).startsWith("arn:")) {
            return startQuery(logGroups.get(0), startSeconds, endSeconds, queryText, limit);
        }
        throw new ApiError("this Logs Insights client queries one log group by name at a time");
    }

    /** Polls a query. May throw {@link Throttled} or {@link ApiError}. */
    Poll getQueryResults(String queryId);

    /** Stops a running query (best effort: errors are ignored by the caller). */
    void stopQuery(String queryId);

    /**
     * One GetQueryResults answer.
     *
     * @param status         Scheduled, Running, Complete, Failed, Cancelled, Timeout or Unknown
     * @param rows           result rows, each (field, value) pairs in display order
     * @param recordsScanned statistics.recordsScanned
     * @param bytesScanned   statistics.bytesScanned
     * @param recordsMatched statistics.recordsMatched
     */
    record Poll(String status, List<List<Map.Entry<String, String>>> rows, long recordsScanned, long bytesScanned,
                long recordsMatched) {
        public Poll {
            rows = List.copyOf(rows);
        }
    }

    /**
     * Base of the errors this interface throws, with what kind of failure it is ({@link AwsErrors.Kind}): a kind
     * that {@linkplain AwsErrors.Kind#affectsEveryCall() affects every call} (no credentials, access denied,
     * endpoint unreachable) stops the whole batch at once.
     */
    class ApiError extends RuntimeException {
        private final AwsErrors.Kind kind;

        public ApiError(String message) {
            this(AwsErrors.Kind.SERVICE, message);
        }

        public ApiError(AwsErrors.Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public AwsErrors.Kind kind() {
            return kind;
        }
    }

    /** The account's Insights quota (concurrency or TPS) is exhausted: back off and retry. */
    final class Throttled extends ApiError {
        public Throttled(String message) {
            super(AwsErrors.Kind.THROTTLED, message);
        }
    }

    /** The log group does not exist (for EKS: control-plane logging is not enabled). */
    final class LogGroupNotFound extends ApiError {
        public LogGroupNotFound(String message) {
            super(AwsErrors.Kind.LOG_GROUP_MISSING, message);
        }
    }
}
