package io.ekslookout.fuzz;

import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryContext;
import io.ekslookout.query.QueryException;
import io.ekslookout.query.QueryResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target 1, the query parser and evaluation. Random and mutated query text (mutated from every rule, hunt and
 * conformance query): the only exception that may escape parsing is QueryException, with a line and column inside
 * the text, and a query that parses also runs over sample events without throwing. Then the bundled rules run
 * through the detector over hostile events (mutated rule-test events, long values, deep nesting, odd numbers):
 * nothing may throw and no rule may fail.
 */
class FuzzQueryTest {
    private static final List<String> PIECES = List.of("fields", "filter", "stats", "sort", "limit", "parse",
            "display", "dedup", "unnest", "into", "by", "as", "and", "or", "not", "like", "in", "desc", "asc", "|",
            "(", ")", "[", "]", ",", "\"", "'", "/", "`", "#", "\n", "=", "!=", "==", "=~", "<", ">=", "+", "-",
            "*", "^", "%", ".", "@message", "@timestamp", "user.username", "x", "count(*)", "bin(5m)", "5m", "12",
            "3.5", "\"str\"", "/re/", "sum(", "pct(", "concat(", "ispresent(", "@", "\\", " ", "  ", "€", "\u0000",
            "/(?<g>a+)+$/", "/(a|aa)*b/", "9223372036854775808", "1e308", "-0", "bin(0s)", "limit 0",
            "abs(", "strlen(", "datefloor(", "fromMillis(", "regexReplace(", "\uD800", "\uDBFF\uDFFF");

    private static final List<LogEvent> EVENTS = List.of(
            new LogEvent(1_700_000_000_000L, 1_700_000_001_000L,
                    "{\"verb\":\"delete\",\"user\":{\"username\":\"a\"},\"x\":\"1\",\"bytes\":5,\"items\":[{\"name\":\"n\"}]}",
                    "kube-apiserver-audit-1", "g", "e1"),
            new LogEvent(1_700_000_060_000L, 1_700_000_061_000L, "user=bob, method:GET level: ERROR msg",
                    "authenticator-1", "g", "e2"),
            new LogEvent(1_700_000_120_000L, 1_700_000_121_000L, "{\"truncated\": [1, 2,", "kube-apiserver-audit-2",
                    "g", "e3"));

    /** Row cap of one query result (Pipeline.ROW_CAP, package-private in the engine). */
    private static final int ROW_CAP = 10_000;

    @Test
    void queryTextOnlyEverThrowsLocatedQueryException() {
        Fuzz.run("query", List.of(
                Fuzz.Generator.of("soup", 1500, FuzzQueryTest::soup),
                Fuzz.Generator.of("mutated", 3000, FuzzQueryTest::mutated),
                Fuzz.Generator.of("arbitrary", 1000, FuzzQueryTest::arbitrary)),
                q -> Fuzz.escape(q), FuzzQueryTest::check);
    }

    @Test
    void rulesOverHostileEventsNeverThrowNorFail() {
        Fuzz.run("rules-eval", List.of(
                Fuzz.Generator.of("mutated-events", 150, r -> HostileEvents.mutated(r, 1 + r.nextInt(4))),
                Fuzz.Generator.of("odd-values", 200, HostileEvents::oddValues),
                Fuzz.Generator.of("huge-numbers", 60, HostileEvents::hugeNumbers),
                Fuzz.Generator.of("long-values", 40, HostileEvents::longValues),
                Fuzz.Generator.of("deep-nesting", 40, HostileEvents::deepNesting),
                Fuzz.Generator.of("extreme-timestamps", 100, HostileEvents::extremeTimestamps)),
                HostileEvents::show, FuzzQueryTest::detect);
    }

    static void check(String query) {
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
        assertThat(r.rows().size()).isLessThanOrEqualTo(ROW_CAP);
    }

    static void detect(List<LogEvent> events) {
        DetectionReport report = new Detector(new LocalBackend(new InMemoryLogSource(events)))
                .run(Corpus.ruleSet().rules(), LocalBackend.WHOLE_INPUT, null);
        assertThat(report.ruleErrors()).as("rules that failed").isEmpty();
    }

    /** 0 to 25 pieces joined by spaces. */
    static String soup(Random r) {
        List<String> parts = new ArrayList<>();
        int n = r.nextInt(26);
        for (int i = 0; i < n; i++) {
            parts.add(Fuzz.pick(r, PIECES));
        }
        return String.join(" ", parts);
    }

    /** A rule, hunt or conformance query with one to four edits. */
    static String mutated(Random r) {
        return Mutate.text(r, Fuzz.pick(r, Corpus.queries()), PIECES, 4);
    }

    /**
     * Any text: up to 120 chars mixing printable ASCII, the query syntax characters, controls, any BMP char (lone
     * surrogates included), supplementary code points and whole pieces.
     */
    static String arbitrary(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(10) == 0 ? 0 : r.nextInt(121);
        String syntax = "\"'/\\`|()[]{}@#.,=!<>~*^%+-\n\t\r ";
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0, 1 -> sb.append((char) (0x20 + r.nextInt(0x5f)));
                case 2 -> sb.append(syntax.charAt(r.nextInt(syntax.length())));
                case 3 -> sb.append((char) r.nextInt(0x10000));
                case 4 -> sb.appendCodePoint(r.nextBoolean() ? r.nextInt(0x20) : 0x10000 + r.nextInt(0x100000));
                default -> sb.append(Fuzz.pick(r, PIECES));
            }
        }
        return sb.toString();
    }
}
