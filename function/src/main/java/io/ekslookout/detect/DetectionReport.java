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
     * @param eventErrors     events the rule could not evaluate (it went on with the next one; its findings come
     *                        from the others)
     * @param firstEventError where and why the first of them failed ("file:line: reason"), or null
     * @param warnings        why the rule's result is partial (a memory cap reached); empty when complete
     */
    public record RuleRun(QueryStats stats, long rows, long suppressed, long crossing, int findings, String error,
                          long unseen, long eventErrors, String firstEventError, List<String> warnings) {
        public RuleRun {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        public RuleRun(QueryStats stats, long rows, long suppressed, long crossing, int findings, String error,
                       long unseen) {
            this(stats, rows, suppressed, crossing, findings, error, unseen, 0, null, List.of());
        }

        public RuleRun(QueryStats stats, long rows, long suppressed, long crossing, int findings, String error) {
            this(stats, rows, suppressed, crossing, findings, error, 0);
        }
    }

    /**
     * The reports of one run over several clusters (cluster name → its report, each finding already naming its
     * cluster) as one: every finding, most severe first as {@link Detector} orders them; a rule that failed in some
     * clusters fails with each cluster's reason ("cluster: reason", joined by "; "); each rule's counts and costs
     * summed, its warnings prefixed by their cluster. The window is the first report's (every cluster ran the same).
     */
    public static DetectionReport merge(Map<String, DetectionReport> byCluster) {
        if (byCluster.size() == 1) {
            return byCluster.values().iterator().next();
        }
        List<Finding> findings = new java.util.ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, RuleRun> perRule = new LinkedHashMap<>();
        TimeWindow window = null;
        for (Map.Entry<String, DetectionReport> e : byCluster.entrySet()) {
            String c = e.getKey();
            DetectionReport r = e.getValue();
            window = window == null ? r.window() : window;
            findings.addAll(r.findings());
            r.ruleErrors().forEach((id, why) -> errors.merge(id, c + ": " + why, (a, b) -> a + "; " + b));
            r.perRule().forEach((id, run) -> perRule.merge(id, prefixed(c, run), DetectionReport::sum));
        }
        findings.sort(Detector.ORDER);
        return new DetectionReport(window, findings, errors, perRule);
    }

    private static RuleRun prefixed(String cluster, RuleRun r) {
        return new RuleRun(r.stats(), r.rows(), r.suppressed(), r.crossing(), r.findings(),
                r.error() == null ? null : cluster + ": " + r.error(), r.unseen(), r.eventErrors(),
                r.firstEventError() == null ? null : cluster + ": " + r.firstEventError(),
                r.warnings().stream().map(w -> cluster + ": " + w).toList());
    }

    /** Two runs of one rule (two clusters) as one: counts and costs summed, errors and warnings kept. */
    static RuleRun sum(RuleRun a, RuleRun b) {
        QueryStats s = new QueryStats(a.stats().recordsScanned() + b.stats().recordsScanned(),
                a.stats().bytesScanned() + b.stats().bytesScanned(),
                a.stats().recordsMatched() + b.stats().recordsMatched(), a.stats().duration().plus(b.stats().duration()));
        List<String> w = new java.util.ArrayList<>(a.warnings());
        w.addAll(b.warnings());
        return new RuleRun(s, a.rows() + b.rows(), a.suppressed() + b.suppressed(), a.crossing() + b.crossing(),
                a.findings() + b.findings(), a.error() == null ? b.error() : b.error() == null ? a.error()
                : a.error() + "; " + b.error(), a.unseen() + b.unseen(), a.eventErrors() + b.eventErrors(),
                a.firstEventError() != null ? a.firstEventError() : b.firstEventError(), w);
    }

    /** Events no rule could evaluate, summed over the rules (each rule counts its own). */
    public long totalEventErrors() {
        return perRule.values().stream().mapToLong(RuleRun::eventErrors).sum();
    }

    /**
     * One line per rule whose result is partial: events it could not evaluate (count, first location and reason)
     * and the caps it reached. Each line names the rule; never silent.
     */
    public List<String> warnings() {
        List<String> out = new java.util.ArrayList<>();
        perRule.forEach((id, run) -> {
            if (run.eventErrors() > 0) {
                out.add("rule " + id + ": " + run.eventErrors() + (run.eventErrors() == 1 ? " event" : " events")
                        + " could not be evaluated (the rule went on with the others); first: "
                        + run.firstEventError());
            }
            run.warnings().forEach(w -> out.add("rule " + id + ": " + w));
        });
        return out;
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
