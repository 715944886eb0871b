package io.ekslookout.cli;

import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Finding;
import io.ekslookout.detect.QueryStats;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.rules.Severity;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** scan's exit code and summary from a detection report, including a rule that failed. */
class ScanExitCodeTest {
    static final TimeWindow W = new TimeWindow(Instant.parse("2026-11-20T10:00:00Z"),
            Instant.parse("2026-11-20T10:05:00Z"));

    private static Finding finding(String rule, String sev) {
        return new Finding(rule, sev, "T " + rule, W.start(), W.end(), null, 1,
                List.of(Map.of("user.username", "eve\u001b[31m")), 0);
    }

    private static DetectionReport report(List<Finding> findings, Map<String, String> errors) {
        Map<String, DetectionReport.RuleRun> per = new LinkedHashMap<>();
        findings.forEach(f -> per.put(f.ruleId(), new DetectionReport.RuleRun(QueryStats.NONE, 1, 0, 1, 1, null)));
        errors.forEach((id, why) -> per.put(id, new DetectionReport.RuleRun(QueryStats.NONE, 0, 0, 0, 0, why)));
        return new DetectionReport(W, findings, errors, per);
    }

    @Test
    void exitCodes() {
        ReadReport read = new ReadReport(10, 0, List.of(), 100);
        assertThat(ScanCommand.exitCode(report(List.of(), Map.of()), read, Severity.LOW)).isZero();
        assertThat(ScanCommand.exitCode(report(List.of(finding("a", "info")), Map.of()), read, Severity.LOW))
                .isZero();
        assertThat(ScanCommand.exitCode(report(List.of(finding("a", "low")), Map.of()), read, Severity.LOW))
                .isEqualTo(1);
        assertThat(ScanCommand.exitCode(report(List.of(finding("a", "high")), Map.of()), read, Severity.CRITICAL))
                .isZero();
        // a failing rule is an error even when others found something
        assertThat(ScanCommand.exitCode(report(List.of(finding("a", "high")), Map.of("b", "boom")), read,
                Severity.LOW)).isEqualTo(2);
    }

    @Test
    void summaryNamesRuleErrorsAndMalformedLinesAndTheTableIsTerminalSafe() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ReadReport read = new ReadReport(10, 4, List.of("a.jsonl:3: not JSON", "a.jsonl:9: missing \"timestamp\""),
                100);
        ScanCommand.print(report(List.of(finding("a", "high")), Map.of("b", "query failed: boom")), read, 2,
                ResultPrinter.Format.TABLE, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(out.toString())
                .contains("HIGH     a — T a  (1 match)")
                .contains("user.username=eve\\u001b[31m")
                .doesNotContain("\u001b")
                .contains("findings: 1 (high 1); rule errors: 1; events read: 10; malformed lines: 4")
                .contains("rule error: b: query failed: boom")
                .contains("malformed: a.jsonl:3: not JSON")
                .contains("malformed: … 2 more");
        assertThat(err.toString()).isEmpty();
    }
    @Test
    void rulesFailingForTheSameReasonAreNamedOnOneLine() {
        String missing = "control-plane logging is not enabled for cluster prod";
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("a", missing);
        errors.put("b", missing);
        errors.put("c", "query failed: boom");
        errors.put("d", missing);
        StringWriter out = new StringWriter();
        ScanCommand.print(report(List.of(finding("e", "low")), errors), null, 5, ResultPrinter.Format.TABLE,
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertThat(out.toString().lines().filter(l -> l.startsWith("rule error: ")).toList()).containsExactly(
                "rule error: 3 rules (a, b, d): " + missing, "rule error: c: query failed: boom");

        Map<String, String> all = new LinkedHashMap<>();
        all.put("a", missing);
        all.put("b", missing);
        StringWriter out2 = new StringWriter();
        ScanCommand.print(report(List.of(), all), null, 2, ResultPrinter.Format.TABLE, new PrintWriter(out2, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(out2.toString()).contains("rule errors: 2\nrule error: all 2 rules: " + missing + "\n")
                .containsOnlyOnce(missing);
    }

    @Test
    void tableShowsTheFirstRowsAndCountsTheRest() {
        List<Map<String, String>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(Map.of("n", String.valueOf(i)));
        }
        Finding f = new Finding("r", "low", "T", W.start(), W.end(), "k", 57, rows, 37);
        StringWriter out = new StringWriter();
        new FindingPrinter(ResultPrinter.Format.TABLE).print(List.of(f), new PrintWriter(out, true));
        assertThat(out.toString().lines().filter(l -> l.contains("n=")).count()).isEqualTo(FindingPrinter.TABLE_ROWS);
        assertThat(out.toString()).contains("… 52 more (--format json shows up to 20)");
    }
}
