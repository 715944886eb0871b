package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw-message pre-check (skip JSON parsing when a literal cannot occur) never changes results: the same
 * queries with and without it give identical rows over messages full of escapes, numbers and near misses.
 */
class PrecheckPropertyTest {
    private static final List<String> VALUES = List.of("aws-auth", "aws\\u002dauth", "aws\\/auth", "a/b", "a\\/b",
            "caf\\u00e9", "café", "200", "2e2", "200.0", "x y", "AWS-AUTH", "", "kube-system", "kube\\u002dsystem");
    private static final List<String> LITERALS = List.of("aws-auth", "a/b", "café", "200", "x y", "kube-system",
            "2", "aws", "-auth", "é");

    record Case(String query, List<String> messages) {
        @Override
        public String toString() {
            return "query: " + query + "\nmessages:\n" + String.join("\n", messages);
        }
    }

    static String message(Random r) {
        String a = Trials.pick(r, VALUES);
        String b = Trials.pick(r, VALUES);
        return switch (Trials.pick(r, List.of("s", "n", "b"))) {
            case "n" -> "{\"name\":" + (a.matches("[0-9.e]+") ? a : "\"" + a + "\"") + ",\"other\":\"" + b + "\"}";
            case "b" -> "{\"name\":true,\"other\":\"" + b + "\"}";
            default -> "{\"name\":\"" + a + "\",\"list\":[\"" + b + "\"]}";
        };
    }

    static String query(Random r) {
        String l1 = Trials.pick(r, LITERALS);
        String l2 = Trials.pick(r, LITERALS);
        return switch (r.nextInt(5)) {
            case 0 -> "filter name = \"" + l1 + "\" | fields name, other";
            case 1 -> "filter name like \"" + l1 + "\" or other like \"" + l2 + "\" | fields name";
            case 2 -> "filter name in [\"" + l1 + "\", \"" + l2 + "\"] | fields name";
            case 3 -> "filter strcontains(list.0, \"" + l1 + "\") and name != \"" + l2 + "\" | fields list.0";
            default -> "sort @timestamp asc | filter name = \"" + l1 + "\" and list.0 like \"" + l2
                    + "\" | fields name";
        };
    }

    static Case generate(Random r) {
        String query = query(r);
        List<String> messages = new ArrayList<>();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            messages.add(message(r));
        }
        return new Case(query, messages);
    }

    @Test
    void precheckNeverChangesResults() {
        Trials.forAll("precheck", 10_000, PrecheckPropertyTest::generate, c ->
                assertThat(run(Query.parse(c.query(), true), c.messages()))
                        .isEqualTo(run(Query.parse(c.query(), false), c.messages())));
    }

    private static List<String> run(Query q, List<String> messages) {
        Query.Execution x = q.start(QueryContext.unbounded(Instant.EPOCH));
        for (int i = 0; i < messages.size(); i++) {
            x.accept(new LogEvent(i, i, messages.get(i), "s", "g", "e" + i));
        }
        List<String> out = new ArrayList<>();
        QueryResult r = x.finish();
        r.rows().forEach(row -> out.add(row.asMap().toString()));
        out.add("matched=" + r.recordsMatched());
        return out;
    }
}
