package io.ekslookout.detect;

import java.time.Duration;

/** What a query cost: what CloudWatch Logs Insights bills (bytes scanned) and how long it took. */
public record QueryStats(long recordsScanned, long bytesScanned, long recordsMatched, Duration duration) {
    public static final QueryStats NONE = new QueryStats(0, 0, 0, Duration.ZERO);
}
