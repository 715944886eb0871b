package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NaturalOrderTest {
    /** The documented ascending order (reference §4.5, TC-49). */
    static final List<String> DOCUMENTED = List.of("!:", "#", "*%04", "0#", "5A", "111A", "2345_", "@", "@_", "A",
            "A9876fghj", "a12345hfh", "0", "01", "1", "2", "3");

    @Test
    void sortsTheDocumentedListFromAnyStartingOrder() {
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            List<Object> shuffled = new ArrayList<>(DOCUMENTED);
            Collections.shuffle(shuffled, random);
            shuffled.sort(NaturalOrder.ASC);
            assertThat(shuffled).containsExactlyElementsOf(DOCUMENTED);
        }
    }

    @Test
    void pairwiseRulesOfTheComparator() {
        assertThat(NaturalOrder.compare("abc", "10")).as("non-numbers before numbers").isNegative();
        assertThat(NaturalOrder.compare("9", "10")).as("numbers numerically").isNegative();
        assertThat(NaturalOrder.compare("01", "1")).as("numeric tie broken by text").isNegative();
        assertThat(NaturalOrder.compare("a9", "a10")).as("digit chunks: shorter first").isNegative();
        assertThat(NaturalOrder.compare("a10", "a09")).as("equal-length digit chunks by value").isPositive();
        assertThat(NaturalOrder.compare("2345_", "@")).as("digit vs non-digit by first char").isNegative();
        assertThat(NaturalOrder.compare("@", "@_")).as("chunk prefix first").isNegative();
        assertThat(NaturalOrder.compare("A", "a")).as("code point order").isNegative();
        assertThat(NaturalOrder.compare(5L, "5")).isZero();
        assertThat(NaturalOrder.compare(2.5, 10L)).isNegative();
        assertThat(NaturalOrder.compare(new Timestamp(1000), new Timestamp(2000))).isNegative();
    }

    @Test
    void missingValuesSortLastAscending() {
        List<Object> values = new ArrayList<>(java.util.Arrays.asList("b", null, "a"));
        values.sort(NaturalOrder.NULLS_LAST);
        assertThat(values).containsExactly("a", "b", null);
    }

    @Test
    void sortCommandDescendingIsTheExactReverseAndMissingKeysGoFirst() {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < DOCUMENTED.size(); i++) {
            events.add(new LogEvent(1000L * i, 0, "{\"v\":\"" + DOCUMENTED.get(i) + "\"}", "s", "g", "e" + i));
        }
        events.add(new LogEvent(99_000, 0, "{}", "s", "g", "missing"));
        QueryResult desc = run("fields v | sort v desc", events);
        List<String> expected = new ArrayList<>(DOCUMENTED);
        Collections.reverse(expected);
        assertThat(desc.rows().get(0).get("v")).as("missing key first in desc").isNull();
        assertThat(desc.rows().subList(1, desc.rows().size()).stream().map(r -> r.get("v")).toList())
                .containsExactlyElementsOf(expected);
        QueryResult asc = run("fields v | sort v asc", events);
        assertThat(asc.rows().get(asc.rows().size() - 1).get("v")).as("missing key last in asc").isNull();
    }

    @Test
    void multiKeySortIsLexicographicAndStable() {
        List<LogEvent> events = List.of(
                new LogEvent(1000, 0, "{\"a\":\"x\",\"b\":2}", "s", "g", "1"),
                new LogEvent(2000, 0, "{\"a\":\"y\",\"b\":1}", "s", "g", "2"),
                new LogEvent(3000, 0, "{\"a\":\"x\",\"b\":1}", "s", "g", "3"),
                new LogEvent(4000, 0, "{\"a\":\"x\",\"b\":1}", "s", "g", "4"));
        QueryResult r = run("fields a, b, @timestamp | sort a asc, b asc", events);
        assertThat(r.rows().stream().map(row -> row.get("a") + row.get("b") + "@" + row.get("@timestamp")).toList())
                .containsExactly("x1@1970-01-01 00:00:04.000", "x1@1970-01-01 00:00:03.000",
                        "x2@1970-01-01 00:00:01.000", "y1@1970-01-01 00:00:02.000");
        QueryResult twoSorts = run("fields a, b | sort b asc | sort a desc", events);
        assertThat(twoSorts.rows().stream().map(row -> row.get("a") + row.get("b")).toList())
                .as("the later sort is primary, the earlier breaks ties")
                .containsExactly("y1", "x1", "x1", "x2");
    }

    static QueryResult run(String query, List<LogEvent> events) {
        Query.Execution x = Query.parse(query).start(QueryContext.unbounded(java.time.Instant.EPOCH));
        events.forEach(x::accept);
        return x.finish();
    }
}
