package io.ekslookout.detect;

import io.ekslookout.query.QueryResult;
import io.ekslookout.query.ResultRow;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs rules over a window and turns their result rows into findings. For each rule: drop rows its suppress list
 * matches, keep rows crossing its threshold (every row when it has none), then fold the rows into one finding per
 * groupBy key (one finding per rule without groupBy). matchCount is the number of rows folded into a finding; a
 * finding shows the first {@link #DEFAULT_ROW_CAP} and counts the rest in rowsOmitted. Findings come most severe
 * first, then by rule id, then biggest group first. A rule whose query fails
 * is reported in ruleErrors and never stops the others; a rule that could not evaluate some events (counted by
 * the engine, which went on with the next event) or whose result a memory cap cut keeps its findings and says so
 * in {@link DetectionReport#warnings()}.
 * Rows and error text leave through {@link SecretScrubber}
 * (after suppress and threshold saw the values, before grouping), so no output built from a report holds a Secret
 * value.
 */
public final class Detector {
    public static final int DEFAULT_ROW_CAP = 20;
    private static final String PTR = "@ptr";

    /** Findings' order: most severe first, then by rule and cluster; within those the biggest group first, then by key. */
    static final Comparator<Finding> ORDER = Comparator.comparing((Finding f) -> Severity.parse(f.severity()))
            .reversed()
            .thenComparing(Finding::ruleId)
            .thenComparing(f -> f.cluster() == null ? "" : f.cluster())
            .thenComparing(Comparator.comparingLong(Finding::matchCount).reversed())
            .thenComparing(f -> f.groupKey() == null ? "" : f.groupKey());

    private final QueryBackend backend;
    private final int rowCap;
    private final String cluster;

    public Detector(QueryBackend backend) {
        this(backend, DEFAULT_ROW_CAP);
    }

    public Detector(QueryBackend backend, int rowCap) {
        this(backend, rowCap, null);
    }

    /**
     * @param cluster the cluster the back end reads (its findings carry it), or null when not known (local files)
     */
    public Detector(QueryBackend backend, int rowCap, String cluster) {
        this.backend = backend;
        this.rowCap = rowCap;
        this.cluster = cluster;
    }

    /**
     * @param rules           rules to run (disabled ones are skipped)
     * @param window          the @timestamp range to scan, [start, end)
     * @param ingestionWindow when not null, only events ingested in it count (see {@link Batch})
     */
    public DetectionReport run(List<Rule> rules, TimeWindow window, TimeWindow ingestionWindow) {
        return detect(rules, window, ingestionWindow, null).report();
    }

    /**
     * A detection with what the back end did for it (warnings, read report, what it scanned, what stopped it).
     *
     * @param report the findings, failed rules and per-rule figures
     * @param batch  the back end's result for the batch of the rules (its outcomes are the rules' raw results)
     */
    public record Detection(DetectionReport report, BatchResult batch) {
    }

    /**
     * Runs the enabled rules as one {@link Batch} of their parsed queries.
     *
     * @param deadline queries not finished by then fail (the Lambda's remaining time); null for none
     */
    public Detection detect(List<Rule> rules, TimeWindow window, TimeWindow ingestionWindow,
                            java.time.Instant deadline) {
        List<Rule> enabled = rules.stream().filter(Rule::enabled).toList();
        List<Batch.Entry> entries = new ArrayList<>();
        for (Rule r : enabled) {
            entries.add(new Batch.Entry(r.id(), r.query()));
        }
        Batch batch = new Batch(entries, window, ingestionWindow, deadline);
        BatchResult result = entries.isEmpty() ? BatchResult.of(List.of(), batch) : backend.run(batch);
        List<QueryOutcome> outcomes = result.outcomes();
        TimeWindow shown = result.coveredWindow();
        List<Finding> findings = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, DetectionReport.RuleRun> perRule = new LinkedHashMap<>();
        for (Rule rule : enabled) {
            // one outcome per rule, or one per cluster when the batch read several (each with its cluster)
            List<QueryOutcome> mine = outcomes.stream().filter(o -> o != null && rule.id().equals(o.id())).toList();
            if (mine.isEmpty()) {
                mine = List.of(QueryOutcome.missing(rule.id()));
            }
            List<String> why = new ArrayList<>();
            DetectionReport.RuleRun run = null;
            for (QueryOutcome o : mine) {
                String in = o.cluster() != null ? o.cluster() : cluster;
                String where = mine.size() > 1 && in != null ? in + ": " : "";
                DetectionReport.RuleRun one = runOne(rule, o, in, where, shown, findings, why);
                run = run == null ? one : DetectionReport.sum(run, one);
            }
            if (!why.isEmpty()) {
                errors.put(rule.id(), String.join("; ", why));
            }
            perRule.put(rule.id(), run);
        }
        findings.sort(ORDER);
        return new Detection(new DetectionReport(shown, findings, errors, perRule), result);
    }

    /**
     * One outcome of a rule (all of it, or one cluster's part): its findings added to {@code findings}, why it
     * failed (prefixed by {@code where}) added to {@code errors}, and what it did.
     */
    private DetectionReport.RuleRun runOne(Rule rule, QueryOutcome o, String in, String where, TimeWindow shown,
                                           List<Finding> findings, List<String> errors) {
        QueryStats stats = o.stats() == null ? QueryStats.NONE : o.stats();
        if (o.failed() || o.result() == null) {
            String why = where + SecretScrubber.text(o.error() == null ? "no result" : o.error());
            errors.add(why);
            return new DetectionReport.RuleRun(stats, 0, 0, 0, 0, why);
        }
        try {
            RuleFindings rf = findingsFor(rule, o.result(), shown, in);
            findings.addAll(rf.findings);
            QueryResult r = o.result();
            long unseen = r.aggregate() || rule.query().cutsRows() ? 0
                    : Math.max(0, r.recordsMatched() - r.rows().size());
            String firstError = SecretScrubber.text(r.firstEventError());
            return new DetectionReport.RuleRun(stats, r.rows().size(), rf.suppressed, rf.crossing,
                    rf.findings.size(), null, unseen, r.eventErrors(),
                    firstError == null ? null : where + firstError,
                    r.warnings().stream().map(w -> where + w).toList());
        } catch (RuntimeException e) {
            String why = where + SecretScrubber.text("could not evaluate results: " + e);
            errors.add(why);
            return new DetectionReport.RuleRun(stats, o.result().rows().size(), 0, 0, 0, why);
        }
    }

    private record RuleFindings(List<Finding> findings, long suppressed, long crossing) {
    }

    private RuleFindings findingsFor(Rule rule, QueryResult result, TimeWindow window, String cluster) {
        Map<String, List<Map<String, String>>> groups = new LinkedHashMap<>();
        long suppressed = 0;
        long crossing = 0;
        SecretScrubber secrets = SecretScrubber.forQuery(rule.query());
        for (ResultRow row : result.rows()) {
            Map<String, String> m = row.asMap();
            m.remove(PTR);
            if (rule.suppress().suppresses(m)) {
                suppressed++;
                continue;
            }
            if (rule.threshold() != null && !rule.threshold().crosses(m.get(rule.threshold().column()))) {
                continue;
            }
            crossing++;
            m = secrets.scrub(m); // the one way out: nothing after this sees a Secret value
            groups.computeIfAbsent(groupKey(rule.groupBy(), m), k -> new ArrayList<>()).add(m);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, String>>> g : groups.entrySet()) {
            List<Map<String, String>> rows = g.getValue();
            List<Map<String, String>> shown = rows.subList(0, Math.min(rowCap, rows.size()));
            out.add(new Finding(rule.id(), rule.severity().label(), rule.title(), window.start(), window.end(),
                    g.getKey(), rows.size(), shown, rows.size() - shown.size(), cluster));
        }
        return new RuleFindings(out, suppressed, crossing);
    }

    /**
     * The group key of a row: null without groupBy; the value itself for one field; "field=value, ..." for
     * several. A missing value shows as "(none)".
     */
    static String groupKey(List<String> groupBy, Map<String, String> row) {
        if (groupBy.isEmpty()) {
            return null;
        }
        if (groupBy.size() == 1) {
            String v = row.get(groupBy.get(0));
            return v == null ? "(none)" : v;
        }
        List<String> parts = new ArrayList<>();
        for (String f : groupBy) {
            String v = row.get(f);
            parts.add(f + "=" + (v == null ? "(none)" : v));
        }
        return String.join(", ", parts);
    }
}
