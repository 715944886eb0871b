package io.ekslookout.query;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated query text: the only exception that may escape parsing is QueryException (with a position
 * inside the text), and a query that parses also runs over sample events without throwing.
 */
class ParserFuzzTest {
    private static final List<String> SEEDS = List.of(
            "fields @timestamp, @message | sort @timestamp desc | limit 20",
            "filter @logStream like /^kube-apiserver-audit/ | filter verb == \"delete\" and requestURI like \"/api\"",
            "stats count(*) as c by bin(5m), user.username | sort c desc | limit 10",
            "parse @message \"user=*, method:*\" as u, m | stats avg(x) by m, u",
            "parse @message /(?<level>\\w+): (?<msg>.*)/ | display level, msg",
            "fields concat(a, '-', b) as ab, abs(x - y) as d, 2 ^ 3 as p | filter ab in [\"a-b\", 1]",
            "fields jsonParse(@message) as js | unnest js.items into item | display item.name",
            "filter not ispresent(x) or x != \"y\" | dedup x | limit 3",
            "stats sum(bytes) as b by bin(1m) | stats max(b) as peak",
            "fields datefloor(@timestamp, 1h) as f, isIpv4InSubnet(ip, \"10.0.0.0/8\") as inside");

    private static final List<String> PIECES = List.of("fields", "filter", "stats", "sort", "limit", "parse",
            "display", "dedup", "unnest", "into", "by", "as", "and", "or", "not", "like", "in", "desc", "asc", "|",
            "(", ")", "[", "]", ",", "\"", "'", "/", "`", "#", "\n", "=", "!=", "==", "=~", "<", ">=", "+", "-",
            "*", "^", "%", ".", "@message", "@timestamp", "user.username", "x", "count(*)", "bin(5m)", "5m", "12",
            "3.5", "\"str\"", "/re/", "sum(", "pct(", "concat(", "ispresent(", "@", "\\", " ", "  ", "€", "\u0000");

    private static final List<LogEvent> EVENTS = List.of(
            new LogEvent(1_700_000_000_000L, 1_700_000_001_000L,
                    "{\"verb\":\"delete\",\"user\":{\"username\":\"a\"},\"x\":\"1\",\"bytes\":5,\"items\":[{\"name\":\"n\"}]}",
                    "kube-apiserver-audit-1", "g", "e1"),
            new LogEvent(1_700_000_060_000L, 1_700_000_061_000L, "user=bob, method:GET level: ERROR msg",
                    "authenticator-1", "g", "e2"),
            new LogEvent(1_700_000_120_000L, 1_700_000_121_000L, "{\"truncated\": [1, 2,", "kube-apiserver-audit-2",
                    "g", "e3"));

    @Property(tries = 1500)
    void randomTokenSoupOnlyEverThrowsQueryException(@ForAll("soup") String query) {
        check(query);
    }

    @Property(tries = 1500)
    void mutatedValidQueriesOnlyEverThrowQueryException(@ForAll("mutated") String query) {
        check(query);
    }

    @Property(tries = 500)
    void arbitraryTextOnlyEverThrowsQueryException(@ForAll String query) {
        check(query);
    }

    private static void check(String query) {
        Query q;
        try {
            q = Query.parse(query);
        } catch (QueryException e) {
            assertThat(e.line()).isBetween(1, (int) query.chars().filter(c -> c == '\n').count() + 1);
            assertThat(e.column()).isGreaterThanOrEqualTo(1);
            assertThat(e.render(query)).startsWith(e.getMessage());
            return;
        }
        Query.Execution x = q.start(QueryContext.unbounded(Instant.parse("2024-03-01T12:00:00Z")));
        EVENTS.forEach(x::accept);
        QueryResult r = x.finish();
        assertThat(r.rows().size()).isLessThanOrEqualTo(Pipeline.ROW_CAP);
    }

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.of(PIECES).list().ofMinSize(0).ofMaxSize(25)
                .map(parts -> String.join(" ", parts));
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 200);
        Arbitrary<Integer> length = Arbitraries.integers().between(0, 6);
        Arbitrary<String> insert = Arbitraries.of(PIECES);
        return Combinators.combine(seed, position, length, insert).as((s, p, len, ins) -> {
            int at = Math.min(p, s.length());
            int end = Math.min(s.length(), at + len);
            return s.substring(0, at) + ins + s.substring(end);
        });
    }
}
