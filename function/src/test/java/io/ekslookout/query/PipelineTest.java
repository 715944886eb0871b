package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Command combinations: what runs per event, what runs after the first stats/limit/dedup. */
class PipelineTest {
    private static List<LogEvent> events(String... jsons) {
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < jsons.length; i++) {
            out.add(new LogEvent(1_000L * (i + 1), 0, jsons[i], "s", "g", "e" + (i + 1)));
        }
        return out;
    }

    private static List<String> column(QueryResult r, String name) {
        return r.rows().stream().map(row -> String.valueOf(row.get(name))).toList();
    }

    private static QueryResult run(String q, List<LogEvent> events) {
        return NaturalOrderTest.run(q, events);
    }

    @Test
    void limitBeforeSortTakesTheNewestThenSorts() {
        QueryResult r = run("fields v | limit 3 | sort v asc",
                events("{\"v\":5}", "{\"v\":1}", "{\"v\":4}", "{\"v\":3}", "{\"v\":2}"));
        assertThat(column(r, "v")).containsExactly("2", "3", "4");
    }

    @Test
    void dedupOnSeveralFieldsAndAfterStats() {
        QueryResult r = run("fields a, b | dedup a, b",
                events("{\"a\":1,\"b\":1}", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":1}", "{\"a\":2}"));
        assertThat(r.rows()).hasSize(3);
        assertThat(column(r, "@ptr")).containsExactly("e4", "e3", "e2");
        QueryResult s = run("stats count(*) as n by a, b | sort n desc | dedup a",
                events("{\"a\":1,\"b\":1}", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":1}", "{\"a\":2,\"b\":1}"));
        assertThat(column(s, "a")).containsExactly("1", "2");
        assertThat(column(s, "n")).containsExactly("2", "1");
    }

    @Test
    void secondStatsGroupsTheFirstStatsRows() {
        QueryResult r = run("stats count(*) as n by user, verb | stats sum(n) as total, count(*) as verbs by user "
                + "| sort total desc", events("{\"user\":\"a\",\"verb\":\"get\"}", "{\"user\":\"a\",\"verb\":\"list\"}",
                "{\"user\":\"a\",\"verb\":\"get\"}", "{\"user\":\"b\",\"verb\":\"get\"}"));
        assertThat(r.columns()).containsExactly("user", "total", "verbs");
        assertThat(column(r, "user")).containsExactly("a", "b");
        assertThat(column(r, "total")).containsExactly("3", "1");
        assertThat(column(r, "verbs")).containsExactly("2", "1");
        assertThat(r.aggregate()).isTrue();
        assertThat(r.recordsMatched()).isEqualTo(4);
    }

    @Test
    void filterAndFieldsAfterStatsWorkOnAggregateRows() {
        QueryResult r = run("stats count(*) as n by k | filter n > 1 | fields n * 10 as tens | display k, tens",
                events("{\"k\":\"x\"}", "{\"k\":\"x\"}", "{\"k\":\"y\"}"));
        assertThat(r.columns()).containsExactly("k", "tens");
        assertThat(r.rows()).hasSize(1);
        assertThat(r.rows().get(0).asMap()).containsExactly(java.util.Map.entry("k", "x"),
                java.util.Map.entry("tens", "20"));
    }

    @Test
    void unnestOfScalarsListsAndMissingValues() {
        QueryResult r = run("fields jsonParse(list) as l | unnest l into item | display item",
                events("{\"list\":\"[1,2]\"}", "{\"list\":\"[]\"}", "{\"other\":1}", "{\"list\":\"{\\\"k\\\":1}\"}"));
        assertThat(column(r, "item")).containsExactly("{\"k\":1}", "1", "2");
    }

    @Test
    void statsExpressionsCombineAggregatesAndEarlierAliases() {
        QueryResult r = run("stats sum(b) / 1024 as kb, count(*) as n, kb / n as perEvent, "
                + "sum(strcontains(@message, \"x\")) as xs", events("{\"b\":1024,\"m\":\"x\"}", "{\"b\":3072}"));
        assertThat(r.rows().get(0).asMap()).containsEntry("kb", "4").containsEntry("n", "2")
                .containsEntry("perEvent", "2").containsEntry("xs", "1");
    }

    @Test
    void limitKeepsTheNewestWhenEventsArriveInAnyOrder() {
        List<LogEvent> shuffled = new ArrayList<>(events("{\"v\":1}", "{\"v\":2}", "{\"v\":3}", "{\"v\":4}"));
        java.util.Collections.reverse(shuffled);
        shuffled.add(1, shuffled.remove(3));
        QueryResult r = run("fields v | limit 2", shuffled);
        assertThat(column(r, "v")).containsExactly("4", "3");
    }

    @Test
    void anEventAQueryCannotEvaluateIsCountedForThatQueryAloneAndItGoesOn() {
        StringBuilder evil = new StringBuilder("{\"x\":\"");
        for (int i = 0; i < 60; i++) {
            evil.append(i).append(',');
        }
        evil.append("\"}");
        QueryBatch b = QueryBatch.start(List.of(Query.parse("stats count(*) as n"),
                Query.parse("filter x like /^(.*?,){11}P/"), Query.parse("fields x | limit 1")),
                QueryContext.unbounded(Instant.EPOCH));
        b.accept(new LogEvent(1, 1, evil.toString(), "s", "g", "e1"));
        b.accept(new LogEvent(2, 2, "{\"x\":\"ok\"}", "s", "g", "e2"));
        List<QueryResult> results = b.finish();
        assertThat(results.get(0).rows().get(0).get("n")).isEqualTo("2");
        assertThat(results.get(1).rows()).isEmpty();
        assertThat(results.get(1).eventErrors()).isEqualTo(1);
        assertThat(results.get(1).firstEventError()).startsWith("stream s at 1970-01-01T00:00:00.001Z: ")
                .contains("1:10: the regex /^(.*?,){11}P/ backtracks too much");
        assertThat(b.failures()).isEmpty();
        assertThat(column(results.get(2), "x")).containsExactly("ok");
    }

    @Test
    void batchResultsHaveQueryOrderAndSkipOutOfWindowEvents() {
        QueryBatch b = QueryBatch.start(List.of(Query.parse("stats count(*) as n"), Query.parse("fields v")),
                new QueryContext(2_000, 4_000, Instant.EPOCH, "1", "g"));
        events("{\"v\":1}", "{\"v\":2}", "{\"v\":3}", "{\"v\":4}").forEach(b::accept);
        List<QueryResult> results = b.finish();
        assertThat(results.get(0).rows().get(0).get("n")).isEqualTo("2");
        assertThat(column(results.get(1), "v")).containsExactly("3", "2");
        assertThat(results.get(1).recordsScanned()).isEqualTo(2);
    }
}
