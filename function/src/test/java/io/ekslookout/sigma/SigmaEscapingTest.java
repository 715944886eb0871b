package io.ekslookout.sigma;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryContext;
import io.ekslookout.rules.RuleLoader;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile values are matched literally: random values over quotes, backslashes, slashes, regex and query
 * metacharacters, Sigma's own wildcards (escaped), control and separator characters, case-folding letters and a
 * surrogate pair are put in Sigma rules (exact, cased, contains, startswith, endswith, hostPath, keywords); each
 * converted query must match an event holding the value and miss the near-misses around it.
 */
class SigmaEscapingTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ALPHABET = {"a", "A", "z", ".", "*", "?", "\\", "/", "\"", "'", "(", ")", "[", "]",
            "{", "}", "|", "^", "$", "+", "#", " ", "\n", "\t", "\r", "\u0001", "\b", "\f", "\u007f", "é", "ß", "İ",
            "\u2028", "<", ">", "&", "%", ":", "-", "`", "😀", "\\*", "\\\\", "//", "(?i)", "\\u0022", "=~"};
    /** Never in a value: a near-miss made with it cannot match by accident. */
    private static final String OTHER = "§";

    private static String randomValue(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /** The value as a Sigma string: backslashes and wildcards escaped so that it means itself. */
    private static String sigmaEscape(String v) {
        return v.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
    }

    private static Query convert(String key, String value) throws Exception {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("title", "Escaping");
        rule.put("logsource", Map.of("product", "kubernetes", "service", "audit"));
        Map<String, Object> detection = new LinkedHashMap<>();
        detection.put("sel", Map.of(key, sigmaEscape(value)));
        detection.put("condition", "sel");
        rule.put("detection", detection);
        String text = YAML.writeValueAsString(rule);
        SigmaConverter.Result r = SigmaConverter.convert("v.yml", text);
        assertThat(r.ok()).as(key + " " + value + ": " + r.problems()).isTrue();
        return RuleLoader.load(List.of(new RuleLoader.SourceFile(r.rule().id() + ".yaml", r.rule().yaml())),
                List.of(), List.of(), List.of()).rules().get(0).query();
    }

    private static boolean matches(Query q, Map<String, Object> event) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("kind", "Event");
        e.put("stage", "ResponseComplete");
        e.putAll(event);
        Query.Execution x = q.start(QueryContext.unbounded(Instant.EPOCH));
        x.accept(new LogEvent(1000, 2000, JSON.writeValueAsString(e), "kube-apiserver-audit-1", "g", "e1"));
        return !x.finish().rows().isEmpty();
    }

    private static Map<String, Object> name(String v) {
        return Map.of("objectRef", Map.of("name", v));
    }

    @Test
    void fieldValuesMatchThemselvesAndMissTheirNeighbours() throws Exception {
        Random r = new Random(20261202);
        for (int i = 0; i < 150; i++) {
            String v = randomValue(r);
            String why = "value " + JSON.writeValueAsString(v);

            Query exact = convert("objectRef.name", v);
            assertThat(matches(exact, name(v))).as(why).isTrue();
            assertThat(matches(exact, name(v + OTHER))).as(why).isFalse();
            assertThat(matches(exact, name(OTHER + v))).as(why).isFalse();
            assertThat(matches(exact, name(v.substring(1) + OTHER))).as(why).isFalse();
            assertThat(matches(exact, Map.of("verb", v))).as(why + " in another field").isFalse();

            Query cased = convert("objectRef.name|cased", v);
            assertThat(matches(cased, name(v))).as(why).isTrue();
            String upper = v.toUpperCase(Locale.ROOT);
            assertThat(matches(cased, name(upper))).as(why).isEqualTo(upper.equals(v));

            Query contains = convert("objectRef.name|contains", v);
            assertThat(matches(contains, name(OTHER + v + OTHER))).as(why).isTrue();
            assertThat(matches(contains, name(v.substring(0, v.length() - 1) + OTHER))).as(why).isFalse();

            Query starts = convert("objectRef.name|startswith", v);
            assertThat(matches(starts, name(v + OTHER))).as(why).isTrue();
            assertThat(matches(starts, name(OTHER + v))).as(why).isFalse();

            Query ends = convert("objectRef.name|endswith", v);
            assertThat(matches(ends, name(OTHER + v))).as(why).isTrue();
            assertThat(matches(ends, name(v + OTHER))).as(why).isFalse();
        }
    }

    @Test
    void rawEventValuesMatchThemselvesAndMissTheirNeighbours() throws Exception {
        Random r = new Random(7);
        for (int i = 0; i < 150; i++) {
            String v = randomValue(r);
            String why = "value " + JSON.writeValueAsString(v);
            Query hostPath = convert("hostPath", v);
            assertThat(matches(hostPath, volume(v))).as(why).isTrue();
            assertThat(matches(hostPath, volume(v + OTHER))).as(why).isFalse();
            assertThat(matches(hostPath, volume(OTHER + v))).as(why).isFalse();
            assertThat(matches(hostPath, Map.of("objectRef", Map.of("name", v)))).as(why).isFalse();

            // a keyword is searched in the whole event: Ω (in no event) keeps "a" from matching "stage"
            String k = "\u03a9" + v;
            Query keyword = convert("|contains", k);
            assertThat(matches(keyword, Map.of("userAgent", OTHER + k + OTHER))).as(why).isTrue();
            assertThat(matches(keyword, Map.of("userAgent", k.substring(0, k.length() - 1) + OTHER))).as(why)
                    .isFalse();
        }
    }

    private static Map<String, Object> volume(String path) {
        return Map.of("objectRef", Map.of("resource", "pods"), "requestObject", Map.of("spec", Map.of("volumes",
                List.of(Map.of("name", "v", "hostPath", Map.of("path", path, "type", ""))))));
    }
}
