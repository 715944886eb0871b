package io.ekslookout.detect;

import io.ekslookout.query.QueryResult;

/**
 * How one query ended: a result, or an error that fails only its own rule.
 *
 * @param id     the request id
 * @param result the rows, or null when the query failed
 * @param stats  cost figures (zero when unknown)
 * @param error  a one-line reason when the query failed, else null
 */
public record QueryOutcome(String id, QueryResult result, QueryStats stats, String error) {
    public static QueryOutcome success(String id, QueryResult result, QueryStats stats) {
        return new QueryOutcome(id, result, stats, null);
    }

    public static QueryOutcome failure(String id, String error, QueryStats stats) {
        return new QueryOutcome(id, null, stats, error);
    }

    public boolean failed() {
        return error != null;
    }
}
