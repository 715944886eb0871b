package io.ekslookout.query;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> value = Arbitraries.of(VALUES);
        Arbitrary<String> message = Combinators.combine(value, value, Arbitraries.of("s", "n", "b"))
                .as((a, b, kind) -> switch (kind) {
                    case "n" -> "{\"name\":" + (a.matches("[0-9.e]+") ? a : "\"" + a + "\"") + ",\"other\":\"" + b + "\"}";
                    case "b" -> "{\"name\":true,\"other\":\"" + b + "\"}";
                    default -> "{\"name\":\"" + a + "\",\"list\":[\"" + b + "\"]}";
                });
        Arbitrary<String> literal = Arbitraries.of(LITERALS);
        Arbitrary<String> query = Combinators.combine(literal, literal, Arbitraries.integers().between(0, 4))
                .as((l1, l2, form) -> switch (form) {
                    case 0 -> "filter name = \"" + l1 + "\" | fields name, other";
                    case 1 -> "filter name like \"" + l1 + "\" or other like \"" + l2 + "\" | fields name";
                    case 2 -> "filter name in [\"" + l1 + "\", \"" + l2 + "\"] | fields name";
                    case 3 -> "filter strcontains(list.0, \"" + l1 + "\") and name != \"" + l2 + "\" | fields list.0";
                    default -> "sort @timestamp asc | filter name = \"" + l1 + "\" and list.0 like \"" + l2
                            + "\" | fields name";
                });
        return Combinators.combine(query, message.list().ofMinSize(1).ofMaxSize(8)).as(Case::new);
    }

    @Property(tries = 2000)
    void precheckNeverChangesResults(@ForAll("cases") Case c) {
        assertThat(run(Query.parse(c.query(), true), c.messages()))
                .isEqualTo(run(Query.parse(c.query(), false), c.messages()));
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
