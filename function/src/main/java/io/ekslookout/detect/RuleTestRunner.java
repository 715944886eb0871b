package io.ekslookout.detect;

import io.ekslookout.query.LogEvent;
import io.ekslookout.rules.Hunt;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the fixtures of a rule set: each case's events go through the real {@link Detector} and
 * {@link LocalBackend} (an in-memory source over the whole input), and the outcome is compared with what the case
 * expects: fire (with matchCount when given) or quiet. Also requires every rule to ship a test with at least one
 * fire and one quiet case.
 */
public final class RuleTestRunner {
    /** Log group the fixture events claim to come from. */
    static final String TEST_LOG_GROUP = "/aws/eks/test-cluster/cluster";

    /** One case's outcome; {@code detail} explains a failure (expected vs actual, the rows). */
    public record CaseResult(String file, String target, String caseName, boolean passed, String summary,
                             String detail) {
    }

    /** All outcomes. */
    public record Report(List<CaseResult> results) {
        public long passed() {
            return results.stream().filter(CaseResult::passed).count();
        }

        public long failed() {
            return results.size() - passed();
        }

        public boolean ok() {
            return failed() == 0;
        }

        /** A readable listing: one line per case, a diff under each failure, and a summary line. */
        public String render() {
            StringBuilder sb = new StringBuilder();
            String file = null;
            for (CaseResult r : results) {
                if (!r.file().equals(file)) {
                    file = r.file();
                    sb.append(file).append('\n');
                }
                sb.append(r.passed() ? "  PASS  " : "  FAIL  ").append(r.target()).append(": ").append(r.caseName());
                if (r.summary() != null && !r.summary().isEmpty()) {
                    sb.append("  (").append(r.summary()).append(')');
                }
                sb.append('\n');
                if (!r.passed() && r.detail() != null) {
                    r.detail().lines().forEach(l -> sb.append("        ").append(l).append('\n'));
                }
            }
            sb.append(results.size()).append(results.size() == 1 ? " case: " : " cases: ").append(passed())
                    .append(" passed, ").append(failed()).append(" failed").append('\n');
            return sb.toString();
        }
    }

    private RuleTestRunner() {
    }

    public static Report run(RuleSet set) {
        return run(set, List.of());
    }

    /** Runs the tests of the given rule or hunt ids only (all when empty). */
    public static Report run(RuleSet set, List<String> only) {
        List<CaseResult> out = new ArrayList<>();
        for (Rule rule : set.rules()) {
            if (!only.isEmpty() && !only.contains(rule.id())) {
                continue;
            }
            List<RuleTest> tests = set.tests().stream().filter(t -> !t.hunt() && t.target().equals(rule.id()))
                    .toList();
            boolean fire = tests.stream().flatMap(t -> t.cases().stream())
                    .anyMatch(c -> c.expect() == RuleTest.Expect.FIRE);
            boolean quiet = tests.stream().flatMap(t -> t.cases().stream())
                    .anyMatch(c -> c.expect() == RuleTest.Expect.QUIET);
            if (!fire || !quiet) {
                String file = rule.source() == null ? rule.id() : rule.source();
                out.add(new CaseResult(file, rule.id(), "has tests", false, null,
                        "every rule needs a test file (tests/" + rule.id() + ".yaml) with at least one case that"
                                + " must fire and one near-miss that must stay quiet; missing: "
                                + (!fire && !quiet ? "both" : !fire ? "a fire case" : "a quiet case")));
            }
        }
        for (RuleTest t : set.tests()) {
            if (!only.isEmpty() && !only.contains(t.target())) {
                continue;
            }
            for (RuleTest.Case c : t.cases()) {
                out.add(runCase(set, t, c));
            }
        }
        return new Report(out);
    }

    static CaseResult runCase(RuleSet set, RuleTest t, RuleTest.Case c) {
        Rule rule;
        try {
            if (t.hunt()) {
                Hunt h = set.hunt(t.target()).orElseThrow(() -> new IllegalArgumentException("no hunt " + t.target()));
                rule = h.toRule(c.params());
            } else {
                rule = set.rule(t.target()).orElseThrow(() -> new IllegalArgumentException("no rule " + t.target()));
            }
        } catch (IllegalArgumentException e) {
            return new CaseResult(t.source(), t.target(), c.name(), false, null, e.getMessage());
        }
        List<LogEvent> events = new ArrayList<>();
        int n = 0;
        for (RuleTest.Event e : c.events()) {
            long ts = e.timestamp().toEpochMilli();
            events.add(new LogEvent(ts, ts + 500, e.message(), e.logStream(), TEST_LOG_GROUP, "case-" + (n++)));
        }
        // the test runs the rule even when it is disabled: its fixtures must still hold
        Rule runnable = rule.enabled() ? rule : new Rule(rule.id(), rule.title(), rule.severity(),
                rule.description(), rule.queryText(), rule.query(), rule.threshold(), rule.suppress(), rule.groupBy(),
                rule.tags(), rule.runbook(), true, rule.source());
        DetectionReport report = new Detector(new LocalBackend(new InMemoryLogSource(events)))
                .run(List.of(runnable), LocalBackend.WHOLE_INPUT, null);
        String error = report.ruleErrors().get(rule.id());
        long matches = report.findings().stream().mapToLong(Finding::matchCount).sum();
        String expected = c.expect() == RuleTest.Expect.FIRE
                ? "fire" + (c.matchCount() != null ? " with matchCount " + c.matchCount() : "")
                : "quiet (no finding)";
        String actual = report.findings().isEmpty() ? "quiet (no finding)"
                : "fire: " + report.findings().size() + (report.findings().size() == 1 ? " finding" : " findings")
                + ", matchCount " + matches;
        if (error != null) {
            return new CaseResult(t.source(), t.target(), c.name(), false, "error",
                    "expected: " + expected + "\nactual:   the rule failed: " + error);
        }
        boolean pass = c.expect() == RuleTest.Expect.FIRE
                ? !report.findings().isEmpty() && (c.matchCount() == null || c.matchCount() == matches)
                : report.findings().isEmpty();
        String summary = c.expect() == RuleTest.Expect.FIRE ? "fire, matchCount " + matches : "quiet";
        if (pass) {
            return new CaseResult(t.source(), t.target(), c.name(), true, summary, null);
        }
        StringBuilder d = new StringBuilder();
        d.append("expected: ").append(expected).append('\n');
        d.append("actual:   ").append(actual).append('\n');
        for (Finding f : report.findings()) {
            d.append("  finding").append(f.groupKey() != null ? " [" + f.groupKey() + "]" : "")
                    .append(" matchCount ").append(f.matchCount()).append('\n');
            int i = 1;
            for (Map<String, String> row : f.rows()) {
                d.append("    row ").append(i++).append(": ").append(row).append('\n');
            }
            if (f.rowsOmitted() > 0) {
                d.append("    … ").append(f.rowsOmitted()).append(" more rows\n");
            }
        }
        DetectionReport.RuleRun run = report.perRule().get(rule.id());
        if (run != null) {
            d.append("  (").append(c.events().size()).append(" events; query returned ").append(run.rows())
                    .append(" rows, ").append(run.suppressed()).append(" suppressed, ").append(run.crossing())
                    .append(" crossing").append(rule.threshold() != null ? " threshold " + rule.threshold() : "")
                    .append(")\n");
        }
        return new CaseResult(t.source(), t.target(), c.name(), false, summary, d.toString());
    }
}
