package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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

    @Test
    void randomTokenSoupOnlyEverThrowsQueryException() {
        Trials.forAll("soup", 1500, ParserFuzzTest::soup, ParserFuzzTest::check);
    }

    @Test
    void mutatedValidQueriesOnlyEverThrowQueryException() {
        Trials.forAll("mutated", 1500, ParserFuzzTest::mutated, ParserFuzzTest::check);
    }

    @Test
    void arbitraryTextOnlyEverThrowsQueryException() {
        Trials.forAll("arbitrary", 1000, ParserFuzzTest::arbitrary, ParserFuzzTest::check);
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

    /** 0 to 25 pieces joined by spaces. */
    static String soup(Random r) {
        List<String> parts = new ArrayList<>();
        int n = r.nextInt(26);
        for (int i = 0; i < n; i++) {
            parts.add(Trials.pick(r, PIECES));
        }
        return String.join(" ", parts);
    }

    /** A valid query with 0 to 6 characters from position 0..200 (clamped) replaced by a piece. */
    static String mutated(Random r) {
        String s = Trials.pick(r, SEEDS);
        int at = Math.min(r.nextInt(201), s.length());
        int end = Math.min(s.length(), at + r.nextInt(7));
        return s.substring(0, at) + Trials.pick(r, PIECES) + s.substring(end);
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
                default -> sb.append(Trials.pick(r, PIECES));
            }
        }
        return sb.toString();
    }
}
