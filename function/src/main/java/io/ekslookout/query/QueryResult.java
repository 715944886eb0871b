package io.ekslookout.query;

import java.util.List;

/**
 * The result of one query.
 *
 * @param columns         the projection in display order (what a table or CSV header shows)
 * @param rows            rows in result order, at most the row cap
 * @param aggregate       true when the query has {@code stats} (rows carry no {@code @ptr})
 * @param recordsScanned  events read in the query's time range
 * @param recordsMatched  events that passed the query's filters (before stats / limit)
 * @param eventErrors     events this query could not evaluate (an error while evaluating it, or a message nested
 *                        too deeply to discover the fields asked for); the query went on with the next event
 * @param firstEventError where and why the first of them failed ("location: reason"), or null
 * @param warnings        why the result is partial (a resource cap reached), never silent; empty when complete
 */
public record QueryResult(List<String> columns, List<ResultRow> rows, boolean aggregate, long recordsScanned,
                          long recordsMatched, long eventErrors, String firstEventError, List<String> warnings) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        warnings = List.copyOf(warnings);
    }

    /** A complete result: no event errors, no warnings. */
    public QueryResult(List<String> columns, List<ResultRow> rows, boolean aggregate, long recordsScanned,
                       long recordsMatched) {
        this(columns, rows, aggregate, recordsScanned, recordsMatched, 0, null, List.of());
    }

    /** The same result with the event errors of its run. */
    QueryResult withEventErrors(long count, String first) {
        return new QueryResult(columns, rows, aggregate, recordsScanned, recordsMatched, count, first, warnings);
    }
}
