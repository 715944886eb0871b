package io.ekslookout.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one detector run produced.
 *
 * @param window     the @timestamp window the findings are for
 * @param findings   findings, most severe first
 * @param ruleErrors rule id → why its query failed (those rules produced no findings; the others ran)
 * @param perRule    rule id → what the rule did (every rule that was run)
 */
public record DetectionReport(TimeWindow window, List<Finding> findings, Map<String, String> ruleErrors,
                              Map<String, RuleRun> perRule) {
    public DetectionReport {
        findings = List.copyOf(findings);
        ruleErrors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ruleErrors));
        perRule = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perRule));
    }

    /**
     * One rule's run.
     *
     * @param stats      what its query cost
     * @param rows       result rows returned by the query
     * @param suppressed rows silenced by the rule's suppress list
     * @param crossing   rows that fired (after suppress and threshold)
     * @param findings   findings made
     * @param error      why it failed, or null
     * @param unseen     matching events the query did not return as rows (cut by a limit or the 10,000-row cap),
     *                   so they were never checked against suppress or threshold
     */
    public record RuleRun(QueryStats stats, long rows, long suppressed, long crossing, int findings, String error,
                          long unseen) {
        public RuleRun(QueryStats stats, long rows, long suppressed, long crossing, int findings, String error) {
            this(stats, rows, suppressed, crossing, findings, error, 0);
        }
    }

    /** Rules whose results were cut, with how many matching events were not returned (never silently). */
    public Map<String, Long> truncated() {
        Map<String, Long> m = new LinkedHashMap<>();
        perRule.forEach((k, v) -> {
            if (v.unseen() > 0) {
                m.put(k, v.unseen());
            }
        });
        return m;
    }

    /** Per-rule query stats (rule id → stats). */
    public Map<String, QueryStats> stats() {
        Map<String, QueryStats> m = new LinkedHashMap<>();
        perRule.forEach((k, v) -> m.put(k, v.stats()));
        return m;
    }

    public int rulesRun() {
        return perRule.size();
    }

    public long totalBytesScanned() {
        return perRule.values().stream().mapToLong(r -> r.stats().bytesScanned()).sum();
    }

    public long totalRecordsScanned() {
        return perRule.values().stream().mapToLong(r -> r.stats().recordsScanned()).sum();
    }

    public long totalMatches() {
        return findings.stream().mapToLong(Finding::matchCount).sum();
    }

    public long totalSuppressed() {
        return perRule.values().stream().mapToLong(RuleRun::suppressed).sum();
    }

    /** Findings per severity label, most severe first, only severities that occur. */
    public Map<String, Long> findingsBySeverity() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String s : List.of("critical", "high", "medium", "low", "info")) {
            long n = findings.stream().filter(f -> f.severity().equals(s)).count();
            if (n > 0) {
                m.put(s, n);
            }
        }
        return m;
    }
}
