package io.ekslookout.detect;

import io.ekslookout.query.QueryResult;

/**
 * How one query ended: a result, or an error that fails only its own rule.
 *
 * @param id     the request id
 * @param result the rows, or null when the query failed
 * @param stats  cost figures (zero when unknown)
 * @param error  a one-line reason when the query failed, else null
 * @param cluster the cluster whose events it is about, when the batch read several; else null
 */
public record QueryOutcome(String id, QueryResult result, QueryStats stats, String error, String cluster) {
    public QueryOutcome(String id, QueryResult result, QueryStats stats, String error) {
        this(id, result, stats, error, null);
    }

    /**
     * This outcome, for the events of one cluster: a batch over several clusters answers an entry with one outcome
     * per cluster (its findings carry that cluster), all with the entry's id, in the clusters' order.
     */
    public QueryOutcome withCluster(String name) {
        return new QueryOutcome(id, result, stats, error, name);
    }

    public static QueryOutcome success(String id, QueryResult result, QueryStats stats) {
        return new QueryOutcome(id, result, stats, null);
    }

    public static QueryOutcome failure(String id, String error, QueryStats stats) {
        return new QueryOutcome(id, null, stats, error);
    }

    /** The failure of an entry a back end gave no outcome for. */
    public static QueryOutcome missing(String id) {
        return failure(id, "the back end returned no outcome for this rule", QueryStats.NONE);
    }

    /** Outcome {@code i} of a back end's answer, or {@link #missing} for entry {@code id} when there is none. */
    public static QueryOutcome at(java.util.List<QueryOutcome> outcomes, int i, String id) {
        QueryOutcome o = i < outcomes.size() ? outcomes.get(i) : null;
        return o != null ? o : missing(id);
    }

    public boolean failed() {
        return error != null;
    }
}
