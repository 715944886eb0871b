package io.ekslookout.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One event never stops a query, and one query never stops another: an evaluation that throws is counted for its
 * query (first location and reason) and the query goes on; JSON nested deeper than {@link Json#MAX_DEPTH} costs no
 * stack and is counted ("too deep") for the queries that looked for a field it could hide; stats groups, dedup keys
 * and count_distinct values stop at the {@link QueryLimits} cap with a warning.
 */
class FaultIsolationTest {
    private static final QueryContext CTX = QueryContext.unbounded(Instant.parse("2026-01-01T00:00:00Z"));
    /** toMillis of a year past what epoch milliseconds hold overflows a long: a real per-event failure. */
    private static final String OVERFLOWS = "+999999999-01-01T00:00:00Z";

    private static LogEvent event(long ts, String message) {
        return new LogEvent(ts, ts, message, "stream-a", "g", null);
    }

    private static String audit(String verb, String m) {
        return "{\"verb\":\"" + verb + "\",\"m\":\"" + m + "\"}";
    }

    private static List<QueryResult> run(List<String> queries, List<LogEvent> events, QueryLimits limits) {
        List<Query> qs = queries.stream().map(Query::parse).toList();
        QueryBatch b = QueryBatch.start(qs, CTX, limits);
        events.forEach(b::accept);
        return b.finish();
    }

    @Test
    void anEventThatFailsIsCountedAndTheQueryGoesOnWhileTheOthersNeverNotice() {
        List<LogEvent> events = List.of(
                event(1000, audit("create", "2026-01-01T00:00:01Z")),
                event(2000, audit("create", OVERFLOWS)),
                event(3000, audit("create", "2026-01-01T00:00:03Z")),
                event(4000, audit("create", OVERFLOWS)));
        List<QueryResult> r = run(List.of(
                "filter verb = \"create\" | fields toMillis(m) as t",
                "filter verb = \"create\" | stats count(*) as n"), events, QueryLimits.DEFAULT);

        QueryResult failing = r.get(0);
        assertThat(failing.rows()).extracting(row -> row.asMap().get("t"))
                .containsExactly("1767225603000", "1767225601000");
        assertThat(failing.eventErrors()).isEqualTo(2);
        assertThat(failing.firstEventError())
                .isEqualTo("stream stream-a at 1970-01-01T00:00:02Z: ArithmeticException: long overflow");

        QueryResult other = r.get(1);
        assertThat(other.eventErrors()).isZero();
        assertThat(other.rows().get(0).asMap()).containsEntry("n", "4");
    }

    @Test
    void theFirstErrorNamesTheLocationTheCallerGives() {
        Query q = Query.parse("fields toMillis(m) as t");
        Query.Execution x = q.start(CTX);
        x.accept(event(1000, audit("get", "2026-01-01T00:00:01Z")), () -> "audit.log:1");
        x.accept(event(2000, audit("get", OVERFLOWS)), () -> "audit.log:2");
        x.accept(event(3000, audit("get", OVERFLOWS)), () -> "audit.log:3");
        QueryResult r = x.finish();
        assertThat(r.rows()).hasSize(1);
        assertThat(r.eventErrors()).isEqualTo(2);
        assertThat(r.firstEventError()).startsWith("audit.log:2: ArithmeticException");
    }

    static String nested(int depth, boolean array) {
        StringBuilder sb = new StringBuilder(depth * 6);
        sb.append((array ? "[" : "{\"a\":").repeat(depth)).append('1').append((array ? "]" : "}").repeat(depth));
        return sb.toString();
    }

    /** A message with a leading field, a deep blob, then a trailing field; the blob adds {@code depth} levels. */
    static String deepMessage(int depth, boolean array) {
        return "{\"verb\":\"create\",\"blob\":" + nested(depth, array) + ",\"after\":\"x\"}";
    }

    @ParameterizedTest(name = "depth {0}, arrays {1}, optimized {2}")
    @CsvSource({"2000,false,true", "2000,true,true", "100000,false,true", "100000,true,true",
            "2000,false,false", "100000,true,false"})
    void aDeepMessageKeepsItsLeadingFieldsAndCountsTheQueriesItCouldHaveFooled(int depth, boolean array,
                                                                               boolean optimize) {
        List<Query> qs = List.of(Query.parse("filter verb = \"create\" | stats count(*) as n", optimize),
                Query.parse("filter verb = \"create\" | fields after", optimize),
                Query.parse("fields jsonParse(@message) as j | filter isempty(j) | fields verb", optimize));
        QueryBatch b = QueryBatch.start(qs, CTX);
        b.accept(event(1000, deepMessage(depth, array)));
        b.accept(event(2000, "{\"verb\":\"create\",\"after\":\"y\"}"));
        List<QueryResult> r = b.finish();

        assertThat(r.get(0).rows().get(0).asMap()).containsEntry("n", "2");
        assertThat(r.get(0).eventErrors()).as("only read a field before the deep part").isZero();

        assertThat(r.get(1).rows()).extracting(row -> row.asMap().get("after")).containsExactly("y", null);
        assertThat(r.get(1).eventErrors()).isEqualTo(1);
        assertThat(r.get(1).firstEventError()).contains("too deep").contains("100 levels");

        // jsonParse refuses the deep message (null) without recursing into it; the query keeps (returns) the deep
        // event, whose fields are read at the end: counted too
        assertThat(r.get(2).rows()).hasSize(1);
        assertThat(r.get(2).eventErrors()).isEqualTo(1);
    }

    @Test
    void jsonParseIsBoundedAtTheDepthLimit() {
        assertThat(Json.parseStructure(nested(Json.MAX_DEPTH, false))).isNotNull();
        assertThat(Json.parseStructure(nested(Json.MAX_DEPTH, true))).isNotNull();
        assertThat(Json.parseStructure(nested(Json.MAX_DEPTH + 1, false))).isNull();
        assertThat(Json.parseStructure(nested(100_000, true))).isNull();
        Object deepest = Json.parseStructure(nested(Json.MAX_DEPTH, true));
        assertThat(Json.stringify(deepest)).isEqualTo(nested(Json.MAX_DEPTH, true));
    }

    private static List<LogEvent> keyed(int distinct, int repeats) {
        List<LogEvent> out = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < distinct; k++) {
                out.add(event(1000L * out.size(), "{\"k\":\"key" + k + "\",\"v\":" + (r * distinct + k) + "}"));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "stats count(*) by k                 ; 10 ; stats groups capped at 10: results are partial (80 records",
            "dedup k                             ; 10 ; dedup keys capped at 10: results are partial (80 records",
            "stats count(*) as n by k | limit 3  ; 3  ; stats groups capped at 10",
            "fields k | dedup k | limit 50       ; 10 ; dedup keys capped at 10"})
    void aCapBoundsTheKeysKeptAndSaysSo(String query, int rows, String warning) {
        QueryResult r = run(List.of(query), keyed(50, 2), new QueryLimits(10)).get(0);
        assertThat(r.rows()).hasSize(rows);
        assertThat(r.warnings()).singleElement().asString().startsWith(warning);

        QueryResult uncapped = run(List.of(query), keyed(50, 2), QueryLimits.DEFAULT).get(0);
        assertThat(uncapped.warnings()).isEmpty();
    }

    @Test
    void theStatsCapBoundsTheGroupsHeld() {
        Query q = Query.parse("stats count(*) by k");
        Pipeline p = new Pipeline(q.plan(), CTX, new QueryLimits(1000));
        FieldTrie wanted = FieldTrie.of(q.referencedFields());
        long seq = 0;
        for (LogEvent e : keyed(20_000, 1)) {
            p.accept(new EventView(e, seq++, wanted));
        }
        assertThat(p.groupsHeld()).isEqualTo(1000);
        QueryResult r = p.finish();
        assertThat(r.rows()).hasSize(1000);
        assertThat(r.warnings()).containsExactly(
                "stats groups capped at 1000: results are partial (19000 records of further groups dropped)");
    }

    @Test
    void countDistinctIsExactUpToTheCapThenALowerBoundWithAWarning() {
        QueryResult r = run(List.of("stats count_distinct(v) as d"), keyed(50, 1), new QueryLimits(10)).get(0);
        assertThat(r.rows().get(0).asMap()).containsEntry("d", "10");
        assertThat(r.warnings()).containsExactly("count_distinct capped at 10 distinct values: its counts are lower"
                + " bounds");
        QueryResult exact = run(List.of("stats count_distinct(v) as d"), keyed(50, 1), new QueryLimits(50)).get(0);
        assertThat(exact.rows().get(0).asMap()).containsEntry("d", "50");
        assertThat(exact.warnings()).isEmpty();
    }
}
