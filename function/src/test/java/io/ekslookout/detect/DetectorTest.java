package io.ekslookout.detect;

import io.ekslookout.query.QueryResult;
import io.ekslookout.query.ResultRow;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.Severity;
import io.ekslookout.rules.Suppression;
import io.ekslookout.rules.Threshold;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The detector over a fake back end that returns result rows built here (a unit-test double of the engine). */
class DetectorTest {
    private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-11-20T10:00:00Z"),
            Instant.parse("2026-11-20T10:05:00Z"));

    /** Answers each request from a table of canned outcomes, recording what it was asked. */
    private static final class FakeBackend implements QueryBackend {
        final Map<String, QueryOutcome> answers = new LinkedHashMap<>();
        final List<Batch.Entry> asked = new ArrayList<>();
        final List<Batch> batches = new ArrayList<>();

        FakeBackend rows(String id, List<Map<String, String>> rows) {
            List<ResultRow> rr = new ArrayList<>();
            for (Map<String, String> r : rows) {
                List<ResultRow.Field> fs = new ArrayList<>();
                r.forEach((k, v) -> fs.add(new ResultRow.Field(k, v)));
                rr.add(new ResultRow(fs));
            }
            List<String> cols = rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).keySet());
            answers.put(id, QueryOutcome.success(id, new QueryResult(cols, rr, false, 100, rows.size()),
                    new QueryStats(100, 5000, rows.size(), java.time.Duration.ofMillis(3))));
            return this;
        }

        FakeBackend fail(String id, String why) {
            answers.put(id, QueryOutcome.failure(id, why, QueryStats.NONE));
            return this;
        }

        @Override
        public BatchResult run(Batch batch) {
            asked.addAll(batch.entries());
            batches.add(batch);
            return BatchResult.of(batch.entries().stream().map(r -> answers.get(r.id())).toList(), batch);
        }
    }

    private static Rule rule(String id, Severity sev, Threshold t, Suppression s, List<String> groupBy) {
        return new Rule(id, "Title of " + id, sev, "d", "fields a", io.ekslookout.query.Query.parse("fields a"), t, s, groupBy, List.of("T1098"), null, true,
                id + ".yaml");
    }

    private static Map<String, String> row(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void plainRuleMakesOneFindingWithEveryRow() {
        FakeBackend b = new FakeBackend().rows("r", List.of(row("user", "alice", "@ptr", "p1"),
                row("user", "bob", "@ptr", "p2")));
        DetectionReport rep = new Detector(b).run(List.of(rule("r", Severity.HIGH, null, null, null)), WINDOW, null);
        assertThat(rep.findings()).hasSize(1);
        Finding f = rep.findings().get(0);
        assertThat(f.ruleId()).isEqualTo("r");
        assertThat(f.severity()).isEqualTo("high");
        assertThat(f.title()).isEqualTo("Title of r");
        assertThat(f.windowStart()).isEqualTo(WINDOW.start());
        assertThat(f.windowEnd()).isEqualTo(WINDOW.end());
        assertThat(f.groupKey()).isNull();
        assertThat(f.matchCount()).isEqualTo(2);
        assertThat(f.rows()).containsExactly(row("user", "alice"), row("user", "bob")); // @ptr dropped
        assertThat(f.rowsOmitted()).isZero();
        assertThat(b.asked).singleElement().satisfies(q -> assertThat(q.query().text()).isEqualTo("fields a"));
        assertThat(b.batches).singleElement().satisfies(q -> {
            assertThat(q.window()).isEqualTo(WINDOW);
            assertThat(q.ingestionWindow()).isNull();
        });
    }

    @Test
    void noRowsNoFinding() {
        FakeBackend b = new FakeBackend().rows("r", List.of());
        DetectionReport rep = new Detector(b).run(List.of(rule("r", Severity.HIGH, null, null, null)), WINDOW, null);
        assertThat(rep.findings()).isEmpty();
        assertThat(rep.ruleErrors()).isEmpty();
        assertThat(rep.perRule()).containsKey("r");
    }

    @Test
    void suppressSilencesMatchingRowsByExactValueOrRegex() {
        FakeBackend b = new FakeBackend().rows("r", List.of(row("user", "eks:addon-manager"),
                row("user", "system:serviceaccount:kube-system:foo"), row("user", "alice"),
                row("user", "eks-admin")));
        Suppression s = new Suppression(Map.of("user", List.of(
                Suppression.matcher("system:serviceaccount:kube-system:foo"), Suppression.matcher("/^eks:/"))));
        DetectionReport rep = new Detector(b).run(List.of(rule("r", Severity.LOW, null, s, null)), WINDOW, null);
        assertThat(rep.findings()).singleElement().satisfies(f -> {
            assertThat(f.matchCount()).isEqualTo(2);
            assertThat(f.rows()).extracting(r -> r.get("user")).containsExactly("alice", "eks-admin");
        });
        assertThat(rep.perRule().get("r").suppressed()).isEqualTo(2);
        assertThat(rep.totalSuppressed()).isEqualTo(2);
    }

    @Test
    void everyRowSuppressedMeansNoFinding() {
        FakeBackend b = new FakeBackend().rows("r", List.of(row("user", "eks:x")));
        Suppression s = new Suppression(Map.of("user", List.of(Suppression.matcher("/^eks:/"))));
        assertThat(new Detector(b).run(List.of(rule("r", Severity.LOW, null, s, null)), WINDOW, null).findings())
                .isEmpty();
    }

    @Test
    void thresholdKeepsOnlyCrossingRows() {
        FakeBackend b = new FakeBackend().rows("spike", List.of(
                row("bin(1m)", "2026-11-20 10:00:00.000", "errors", "9"),
                row("bin(1m)", "2026-11-20 10:01:00.000", "errors", "10"),
                row("bin(1m)", "2026-11-20 10:02:00.000", "errors", "1"),
                row("bin(1m)", "2026-11-20 10:03:00.000", "errors", "25"),
                row("bin(1m)", "2026-11-20 10:04:00.000")));
        Threshold t = new Threshold("errors", Threshold.Op.GE, "10");
        DetectionReport rep = new Detector(b).run(List.of(rule("spike", Severity.MEDIUM, t, null, null)), WINDOW,
                null);
        assertThat(rep.findings()).singleElement().satisfies(f -> {
            assertThat(f.matchCount()).isEqualTo(2);
            assertThat(f.rows()).extracting(r -> r.get("errors")).containsExactly("10", "25");
        });
    }

    @Test
    void thresholdNobodyCrossesIsQuiet() {
        FakeBackend b = new FakeBackend().rows("spike", List.of(row("errors", "9"), row("errors", "1")));
        Threshold t = new Threshold("errors", Threshold.Op.GE, "10");
        assertThat(new Detector(b).run(List.of(rule("spike", Severity.MEDIUM, t, null, null)), WINDOW, null)
                .findings()).isEmpty();
    }

    @Test
    void groupByFoldsRowsIntoOneFindingPerKey() {
        FakeBackend b = new FakeBackend().rows("g", List.of(row("user", "alice", "verb", "patch"),
                row("user", "bob", "verb", "delete"), row("user", "alice", "verb", "update"), row("verb", "create")));
        DetectionReport rep = new Detector(b).run(List.of(rule("g", Severity.HIGH, null, null, List.of("user"))),
                WINDOW, null);
        assertThat(rep.findings()).extracting(Finding::groupKey, Finding::matchCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", 2L),
                        org.assertj.core.groups.Tuple.tuple("(none)", 1L),
                        org.assertj.core.groups.Tuple.tuple("bob", 1L));
        assertThat(rep.findings().get(0).rows()).extracting(r -> r.get("verb")).containsExactly("patch", "update");
    }

    @Test
    void groupByOnSeveralFieldsNamesEach() {
        FakeBackend b = new FakeBackend().rows("g", List.of(row("user", "alice", "ns", "kube-system")));
        DetectionReport rep = new Detector(b).run(
                List.of(rule("g", Severity.HIGH, null, null, List.of("user", "ns"))), WINDOW, null);
        assertThat(rep.findings().get(0).groupKey()).isEqualTo("user=alice, ns=kube-system");
    }

    @Test
    void rowsAreCappedAndTheRestCounted() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < 57; i++) {
            rows.add(row("n", String.valueOf(i)));
        }
        FakeBackend b = new FakeBackend().rows("r", rows);
        DetectionReport rep = new Detector(b).run(List.of(rule("r", Severity.LOW, null, null, null)), WINDOW, null);
        Finding f = rep.findings().get(0);
        assertThat(f.matchCount()).isEqualTo(57);
        assertThat(f.rows()).hasSize(Detector.DEFAULT_ROW_CAP);
        assertThat(f.rows().get(0)).containsEntry("n", "0");
        assertThat(f.rowsOmitted()).isEqualTo(57 - Detector.DEFAULT_ROW_CAP);
        assertThat(new Detector(b, 5).run(List.of(rule("r", Severity.LOW, null, null, null)), WINDOW, null)
                .findings().get(0).rowsOmitted()).isEqualTo(52);
    }

    @Test
    void resultsCutByTheRowCapAreReportedNotSilentlyDropped() {
        QueryBackend b = batch -> BatchResult.of(List.of(QueryOutcome.success("r",
                new QueryResult(List.of("x"), List.of(new ResultRow(List.of(new ResultRow.Field("x", "1")))), false,
                        50_000, 12_345), QueryStats.NONE)), batch);
        DetectionReport rep = new Detector(b).run(List.of(rule("r", Severity.LOW, null, null, null)), WINDOW, null);
        assertThat(rep.truncated()).containsExactly(Map.entry("r", 12_344L));
        QueryBackend agg = batch -> BatchResult.of(List.of(QueryOutcome.success("r",
                new QueryResult(List.of("n"), List.of(new ResultRow(List.of(new ResultRow.Field("n", "9")))), true,
                        50_000, 12_345), QueryStats.NONE)), batch);
        assertThat(new Detector(agg).run(List.of(rule("r", Severity.LOW, null, null, null)), WINDOW, null)
                .truncated()).isEmpty();
        Rule deduped = new Rule("r", "t", Severity.LOW, "", "fields a | dedup a", io.ekslookout.query.Query.parse("fields a | dedup a"), null, null, null, null, null,
                true, null);
        assertThat(new Detector(b).run(List.of(deduped), WINDOW, null).truncated()).isEmpty();
    }

    @Test
    void aFailingRuleIsReportedAndTheOthersStillRun() {
        FakeBackend b = new FakeBackend().rows("a", List.of(row("x", "1"))).fail("b", "1:8: unknown function foo")
                .rows("c", List.of(row("x", "2")));
        DetectionReport rep = new Detector(b).run(List.of(rule("a", Severity.LOW, null, null, null),
                rule("b", Severity.CRITICAL, null, null, null), rule("c", Severity.HIGH, null, null, null)),
                WINDOW, null);
        assertThat(rep.ruleErrors()).containsExactly(Map.entry("b", "1:8: unknown function foo"));
        assertThat(rep.findings()).extracting(Finding::ruleId).containsExactly("c", "a"); // most severe first
        assertThat(rep.perRule()).containsOnlyKeys("a", "b", "c");
        assertThat(rep.perRule().get("b").error()).contains("unknown function");
        assertThat(rep.rulesRun()).isEqualTo(3);
        assertThat(rep.totalBytesScanned()).isEqualTo(10_000);
        assertThat(rep.findingsBySeverity()).containsExactly(Map.entry("high", 1L), Map.entry("low", 1L));
    }

    @Test
    void aBackendThatForgetsARuleFailsOnlyThatRule() {
        QueryBackend b = batch -> BatchResult.of(List.of(QueryOutcome.success("a",
                new QueryResult(List.of("x"), List.of(new ResultRow(List.of(new ResultRow.Field("x", "1")))), false,
                        1, 1), QueryStats.NONE)), batch);
        DetectionReport rep = new Detector(b).run(List.of(rule("a", Severity.LOW, null, null, null),
                rule("b", Severity.LOW, null, null, null)), WINDOW, null);
        assertThat(rep.findings()).extracting(Finding::ruleId).containsExactly("a");
        assertThat(rep.ruleErrors()).containsKey("b");
    }

    @Test
    void disabledRulesAreNotRunAndTheIngestionWindowIsPassedOn() {
        FakeBackend b = new FakeBackend().rows("on", List.of(row("x", "1")));
        Rule off = new Rule("off", "t", Severity.HIGH, "", "fields a", io.ekslookout.query.Query.parse("fields a"), null, null, null, null, null, false, null);
        TimeWindow ingest = new TimeWindow(WINDOW.start().plusSeconds(60), WINDOW.end().plusSeconds(60));
        DetectionReport rep = new Detector(b).run(List.of(off, rule("on", Severity.LOW, null, null, null)), WINDOW,
                ingest);
        assertThat(b.asked).extracting(Batch.Entry::id).containsExactly("on");
        assertThat(b.batches.get(0).ingestionWindow()).isEqualTo(ingest);
        assertThat(rep.perRule()).containsOnlyKeys("on");
    }
}
