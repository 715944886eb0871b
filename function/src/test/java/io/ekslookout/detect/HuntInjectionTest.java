package io.ekslookout.detect;

import io.ekslookout.query.LogEvent;
import io.ekslookout.query.QueryResult;
import io.ekslookout.rules.Hunt;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hunt parameters cannot change the query: whatever the value, run through the real engine, a value placed in a
 * double-quoted string, a single-quoted string and a regex comes back exactly as given, and the regex matches
 * it literally.
 */
class HuntInjectionTest {
    private static final String TEMPLATE = "filter @message like /^{{v}}$/\n"
            + "| fields \"{{v}}\" as dq, '{{v}}' as sq\n| limit 5";

    private static Hunt hunt() {
        Map<String, Hunt.Param> p = new LinkedHashMap<>();
        p.put("v", new Hunt.Param("v", "a value", null, true));
        return new Hunt("inject", "t", "", p, TEMPLATE, "inject.yaml");
    }

    private static QueryResult run(String value, List<String> messages) {
        List<LogEvent> events = new ArrayList<>();
        long t = 1_763_632_800_000L;
        for (String m : messages) {
            events.add(new LogEvent(t, t, m, "s", "g", "e" + t));
            t += 1000;
        }
        String q = hunt().render(Map.of("v", value));
        QueryOutcome o = new LocalBackend(new InMemoryLogSource(events))
                .run(Batch.one(Batch.Entry.parse("inject", q), LocalBackend.WHOLE_INPUT, null, null)).outcomes().get(0);
        assertThat(o.error()).as("query for %s:%n%s", value, q).isNull();
        return o.result();
    }

    private static void roundTrips(String value) {
        QueryResult r = run(value, List.of(value, value + "x", "other"));
        assertThat(r.rows()).as("value %s", value).hasSize(1);
        assertThat(r.rows().get(0).get("dq")).isEqualTo(value);
        assertThat(r.rows().get(0).get("sq")).isEqualTo(value);
    }

    @Test
    void hostileValuesStayInsideTheirLiterals() {
        for (String v : List.of("plain", "a\"b", "a'b", "x\" or 1=1 | stats count(*) as \"n", "back\\slash",
                "ends with backslash\\", "\\\"", "/etc/passwd", "a.b*c+?(d)[e]{2}|f^$", "# not a comment",
                "`tick`", "{{v}}", "ünïcødé ✓")) {
            roundTrips(v);
        }
    }

    @Test
    void randomPrintableValuesRoundTrip() {
        Random rnd = new Random(20261120);
        String alphabet = "ab \"'\\/|#`*.+?()[]{}^$-:,=!<>@%&~";
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            roundTrips(sb.toString());
        }
    }
}
