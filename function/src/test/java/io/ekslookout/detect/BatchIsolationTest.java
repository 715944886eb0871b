package io.ekslookout.detect;

import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch entry that does not parse, or whose query fails while it runs, fails only its own outcome: the other
 * entries of the same batch get their rows, in entry order, on the local and the planned back end alike.
 */
class BatchIsolationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);
    private static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();

    private static List<LogEvent> events() {
        List<LogEvent> l = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            l.add(new LogEvent(T0 + i * 1000L, T0 + i * 1000L, "{\"verb\":\"" + (i % 2 == 0 ? "get" : "delete")
                    + "\",\"n\":" + i + "}", "kube-apiserver-audit-1", "/aws/eks/c/cluster", "e" + i));
        }
        return l;
    }

    /** ok, a parse failure, a query that fails at run time on every event, and another ok. */
    private static Batch batch() {
        return Batch.of(List.of(
                new Batch.Entry("deletes", Query.parse("filter verb = \"delete\" | fields n")),
                Batch.Entry.parse("unparsable", "filter verb = | stats"),
                new Batch.Entry("all", Query.parse("stats count(*) as total")),
                new Batch.Entry("gets", Query.parse("filter verb = \"get\" | fields n"))),
                LocalBackend.WHOLE_INPUT, null);
    }

    private static void assertIsolated(BatchResult r) {
        assertThat(r.outcomes()).extracting(QueryOutcome::id).containsExactly("deletes", "unparsable", "all", "gets");
        assertThat(r.outcomes().get(1).failed()).isTrue();
        assertThat(r.outcomes().get(1).error()).startsWith("query does not parse: 1:");
        assertThat(r.outcomes().get(0).result().rows()).extracting(row -> row.get("n"))
                .containsExactlyInAnyOrder("1", "3", "5");
        assertThat(r.outcomes().get(2).result().rows().get(0).get("total")).isEqualTo("6");
        assertThat(r.outcomes().get(3).result().rows()).extracting(row -> row.get("n"))
                .containsExactlyInAnyOrder("0", "2", "4");
    }

    @Test
    void aParseFailingEntryFailsAloneLocally() {
        BatchResult r = new LocalBackend(new InMemoryLogSource(events()), CLOCK).run(batch());
        assertIsolated(r);
        assertThat(r.readReport()).isNotNull();
        assertThat(r.coveredWindow()).isEqualTo(new TimeWindow(Instant.ofEpochMilli(T0),
                Instant.ofEpochMilli(T0 + 5001)));
    }

    @Test
    void aParseFailingEntryFailsAlonePlanned() {
        BatchResult r = new PlannedBackend(new LocalBackend(new InMemoryLogSource(events()), CLOCK), CLOCK,
                io.ekslookout.query.QueryLimits.DEFAULT).run(batch());
        assertIsolated(r);
        assertThat(r.planned()).isNotNull();
        assertThat(r.planned().plans()).singleElement().satisfies(p ->
                assertThat(p.prefilters().stream().flatMap(f -> f.ruleIds().stream()))
                        .doesNotContain("unparsable"));
        assertThat(r.readReport()).as("the prefilter's local read").isNotNull();
    }

    @Test
    void aQueryFailingWhileItRunsFailsOnlyItsOwnOutcome() {
        // a back end whose evaluation of one entry throws: the others' outcomes are untouched
        QueryBackend local = new LocalBackend(new InMemoryLogSource(events()), CLOCK);
        QueryBackend flaky = batch -> {
            List<Batch.Entry> others = batch.entries().stream().filter(e -> !e.id().equals("all")).toList();
            BatchResult r = local.run(batch.withEntries(others));
            List<QueryOutcome> out = new ArrayList<>();
            for (Batch.Entry e : batch.entries()) {
                out.add(e.id().equals("all") ? QueryOutcome.failure("all", "query failed: boom", QueryStats.NONE)
                        : r.outcome(e.id()));
            }
            return new BatchResult(out, r.coveredWindow(), r.warnings(), r.readReport(), r.scan(), null, null);
        };
        Detector.Detection d = new Detector(flaky).detect(List.of(
                rule("deletes", "filter verb = \"delete\" | fields n"), rule("all", "stats count(*) as total"),
                rule("gets", "filter verb = \"get\" | fields n")), LocalBackend.WHOLE_INPUT, null, null);
        assertThat(d.report().ruleErrors()).containsOnlyKeys("all");
        assertThat(d.report().findings()).extracting(Finding::ruleId).containsExactlyInAnyOrder("deletes", "gets");
    }

    @Test
    void anEntryWhoseEvaluationFailsOnAnEventCountsItAndTheOthersAreUntouched() {
        // toMillis of a year past a long's milliseconds overflows: that entry counts the event as an error (with
        // where it came from) and goes on; the batch's other entries see every event
        List<LogEvent> l = new ArrayList<>();
        l.add(new LogEvent(T0, T0, "{\"when\":\"2026-01-01T00:00:00Z\"}", "s", "g", "e1"));
        l.add(new LogEvent(T0 + 1, T0 + 1, "{\"when\":\"+999999999-01-01T00:00:00Z\"}", "s", "g", "e2"));
        l.add(new LogEvent(T0 + 2, T0 + 2, "{\"when\":\"2026-01-02T00:00:00Z\"}", "s", "g", "e3"));
        BatchResult r = new LocalBackend(new InMemoryLogSource(l), CLOCK).run(Batch.of(List.of(
                new Batch.Entry("millis", Query.parse("fields toMillis(when) as t")),
                Batch.Entry.parse("unparsable", "fields toMillis("),
                new Batch.Entry("count", Query.parse("stats count(*) as n"))), LocalBackend.WHOLE_INPUT, null));
        assertThat(r.outcomes().get(0).result().rows()).hasSize(2);
        assertThat(r.outcomes().get(0).result().eventErrors()).isEqualTo(1);
        assertThat(r.outcomes().get(0).result().firstEventError()).contains("long overflow");
        assertThat(r.outcomes().get(1).error()).startsWith("query does not parse: ");
        assertThat(r.outcomes().get(2).result().rows().get(0).get("n")).isEqualTo("3");
        assertThat(r.outcomes().get(2).result().eventErrors()).isZero();
    }

    private static io.ekslookout.rules.Rule rule(String id, String q) {
        return new io.ekslookout.rules.Rule(id, "t " + id, io.ekslookout.rules.Severity.LOW, "", q, Query.parse(q),
                null, null, null, null, null, true, null);
    }
}
