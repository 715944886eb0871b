package io.ekslookout.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The conformance suite: one YAML file per case under {@code src/test/resources/conformance/}. Adding a case is
 * adding a file. Format:
 * <pre>
 * id: TC-01                      # reference case id or seed-NN
 * title: ...
 * query: |                       # Logs Insights text
 *   filter (duration>2000)
 * events:                        # ts default 2024-03-01T10:00:00Z + 1 s per event; stream default s1
 *   - ts: "2024-03-01T10:00:00.000Z"
 *     stream: s1
 *     message: '{"duration":1500}'   # a string, or
 *     json: {duration: 1500}         # a mapping serialized as compact JSON
 * generate: {count: 10001, message: "m{i}", start: "...", stepMillis: 1}   # optional bulk events
 * now: "2024-03-01T12:00:00Z"    # optional query start instant
 * window: {start: "...", end: "..."}   # optional, [start, end)
 * order: ordered | unordered
 * fieldOrder: true               # optional: also compare the (field, value) pair order
 * expected:                      # rows as field: value ("@ptr" is checked for presence, not value)
 *   - {"@timestamp": "2024-03-01 10:00:02.000", "@message": '{"duration":3000}'}
 * expectedCount: 10000           # optional instead of / in addition to expected: the number of rows
 * expectedError: {line: 1, column: 5, contains: "..."}   # the query must be rejected like this
 * </pre>
 * Defaults follow the reference's §9.1: log group {@code app}, account {@code 123456789012}, ingestion time =
 * timestamp + 1 s, now = 2024-03-01T12:00:00Z.
 */
class ConformanceTest {

    /** Reads a case file; YAML anchors/aliases (&amp;m / *m) are resolved, so expected rows can reuse messages. */
    static JsonNode read(Path file) throws IOException {
        Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
        return JSON.valueToTree(tree);
    }
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BASE = Instant.parse("2024-03-01T10:00:00Z");

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        Path dir = Paths.get(ConformanceTest.class.getResource("/conformance").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        return files.stream().map(p -> Arguments.of(p.getFileName().toString(), p));
    }

    @Test
    void suiteCoversTheReferenceCasesAndTheSeedQueries() throws Exception {
        List<String> ids = new ArrayList<>();
        for (Arguments a : cases().toList()) {
            ids.add(read((Path) a.get()[1]).path("id").asText());
        }
        for (String tc : List.of("TC-01", "TC-02", "TC-03", "TC-05", "TC-06", "TC-07", "TC-09", "TC-10", "TC-11",
                "TC-13", "TC-14", "TC-15", "TC-17", "TC-18", "TC-19", "TC-21", "TC-22", "TC-23", "TC-25", "TC-26",
                "TC-27", "TC-29", "TC-30", "TC-31", "TC-33", "TC-34", "TC-35", "TC-37", "TC-38", "TC-39", "TC-41",
                "TC-42", "TC-43", "TC-45", "TC-46", "TC-47", "TC-49", "TC-50", "TC-51", "TC-53", "TC-54", "TC-55",
                "TC-57", "TC-58", "TC-59", "TC-61", "TC-62", "TC-63", "TC-65", "TC-66", "TC-67", "TC-69", "TC-70",
                "TC-71")) {
            assertThat(ids).as("conformance case files").contains(tc);
        }
        for (int i = 1; i <= 12; i++) {
            assertThat(ids).as("seed query cases").contains(String.format("seed-%02d", i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conformance(String name, Path file) throws IOException {
        JsonNode c = read(file);
        String query = c.path("query").asText();
        assertThat(query).as("query of " + name).isNotBlank();

        if (c.has("expectedError")) {
            JsonNode e = c.get("expectedError");
            assertThatThrownBy(() -> Query.parse(query))
                    .isInstanceOf(QueryException.class)
                    .satisfies(t -> {
                        QueryException q = (QueryException) t;
                        if (e.has("line")) {
                            assertThat(q.line()).as("error line").isEqualTo(e.get("line").asInt());
                        }
                        if (e.has("column")) {
                            assertThat(q.column()).as("error column").isEqualTo(e.get("column").asInt());
                        }
                        assertThat(q.reason()).contains(e.path("contains").asText());
                    });
            return;
        }

        Query q = Query.parse(query);
        Instant now = c.has("now") ? Instant.parse(c.get("now").asText()) : Instant.parse("2024-03-01T12:00:00Z");
        long start = Long.MIN_VALUE;
        long end = Long.MAX_VALUE;
        if (c.has("window")) {
            start = Instant.parse(c.get("window").get("start").asText()).toEpochMilli();
            end = Instant.parse(c.get("window").get("end").asText()).toEpochMilli();
        }
        QueryContext ctx = new QueryContext(start, end, now, "123456789012", "app");
        Query.Execution x = q.start(ctx);
        for (LogEvent ev : events(c)) {
            x.accept(ev);
        }
        QueryResult result = x.finish();

        for (ResultRow row : result.rows()) {
            if (result.aggregate()) {
                assertThat(row.get("@ptr")).as("aggregate rows carry no @ptr").isNull();
            } else {
                assertThat(row.get("@ptr")).as("non-aggregate rows carry @ptr").isNotNull();
                assertThat(row.fields().get(row.fields().size() - 1).name()).isEqualTo("@ptr");
            }
        }
        if (c.has("expectedCount")) {
            assertThat(result.rows()).hasSize(c.get("expectedCount").asInt());
        }
        if (c.has("expectedFirst")) {
            assertThat(withoutPtr(result.rows().get(0))).isEqualTo(row(c.get("expectedFirst")));
        }
        if (c.has("expectedLast")) {
            assertThat(withoutPtr(result.rows().get(result.rows().size() - 1))).isEqualTo(row(c.get("expectedLast")));
        }
        if (c.has("expected")) {
            List<Map<String, String>> expected = new ArrayList<>();
            c.get("expected").forEach(r -> expected.add(row(r)));
            List<Map<String, String>> actual = result.rows().stream().map(ConformanceTest::withoutPtr).toList();
            if ("unordered".equals(c.path("order").asText("ordered"))) {
                assertThat(actual).as("rows of " + name).containsExactlyInAnyOrderElementsOf(expected);
            } else {
                assertThat(actual).as("rows of " + name).containsExactlyElementsOf(expected);
            }
            if (c.path("fieldOrder").asBoolean(false)) {
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(new ArrayList<>(actual.get(i).keySet())).as("field order")
                            .containsExactlyElementsOf(expected.get(i).keySet());
                }
            }
        }
        if (!c.has("expected") && !c.has("expectedCount")) {
            throw new AssertionError(name + " asserts nothing: give expected, expectedCount or expectedError");
        }
    }

    private static Map<String, String> withoutPtr(ResultRow r) {
        Map<String, String> m = new LinkedHashMap<>(r.asMap());
        m.remove("@ptr");
        return m;
    }

    private static Map<String, String> row(JsonNode r) {
        Map<String, String> m = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = r.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    static List<LogEvent> events(JsonNode c) {
        List<LogEvent> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : c.path("events")) {
            long ts = e.has("ts") ? Instant.parse(e.get("ts").asText()).toEpochMilli()
                    : BASE.plusSeconds(i).toEpochMilli();
            String message;
            if (e.has("json")) {
                try {
                    message = JSON.writeValueAsString(e.get("json"));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            } else {
                message = e.path("message").asText();
            }
            out.add(new LogEvent(ts, ts + 1000, message, e.path("stream").asText("s1"),
                    e.path("group").asText("app"), "e" + i));
            i++;
        }
        JsonNode g = c.get("generate");
        if (g != null) {
            long start = Instant.parse(g.path("start").asText("2024-03-01T10:00:00Z")).toEpochMilli();
            long step = g.path("stepMillis").asLong(1);
            for (int k = 0; k < g.get("count").asInt(); k++) {
                long ts = start + k * step;
                out.add(new LogEvent(ts, ts + 1000, g.get("message").asText().replace("{i}", Integer.toString(k)),
                        "s1", "app", "g" + k));
            }
        }
        return out;
    }

}
