package io.ekslookout.query;

import java.util.List;

/**
 * The result of one query.
 *
 * @param columns        the projection in display order (what a table or CSV header shows)
 * @param rows           rows in result order, at most the row cap
 * @param aggregate      true when the query has {@code stats} (rows carry no {@code @ptr})
 * @param recordsScanned events read in the query's time range
 * @param recordsMatched events that passed the query's filters (before stats / limit)
 */
public record QueryResult(List<String> columns, List<ResultRow> rows, boolean aggregate, long recordsScanned,
                          long recordsMatched) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
