package io.ekslookout.query;

import java.time.Instant;

/**
 * Where and when a query runs.
 *
 * @param startMillis first event time scanned, inclusive (epoch ms)
 * @param endMillis   last event time scanned, exclusive (epoch ms)
 * @param now         the query's start instant (for {@code now()})
 * @param accountId   account id for {@code @log}
 * @param logGroup    log group name for {@code @log} when an event carries none
 */
public record QueryContext(long startMillis, long endMillis, Instant now, String accountId, String logGroup) {
    public static QueryContext unbounded(Instant now) {
        return new QueryContext(Long.MIN_VALUE, Long.MAX_VALUE, now, "000000000000", "local");
    }
}
