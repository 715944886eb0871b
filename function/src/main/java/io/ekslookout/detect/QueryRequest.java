package io.ekslookout.detect;

/**
 * One query to run for one rule.
 *
 * @param id              the rule id (unique within a run)
 * @param queryText       Logs Insights query text
 * @param timeRange       the {@code @timestamp} range to scan, [start, end)
 * @param ingestionWindow when not null, only events whose {@code @ingestionTime} lies in [start, end) count
 *                        (the scheduled path tiles time by ingestion so late events are neither missed nor
 *                        seen twice); null for ad-hoc scans
 */
public record QueryRequest(String id, String queryText, TimeWindow timeRange, TimeWindow ingestionWindow) {
}
