package io.ekslookout.sigma;

import io.ekslookout.rules.RuleProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What cannot be expressed is refused whole, located at file:line:column with the reason: one row per refusal.
 * The located problem must be the first one reported, at exactly that line and column.
 */
class SigmaRefusalTest {
    private static final String HEAD = "title: T\nlogsource:\n  product: kubernetes\n  service: audit\n";

    /** A rule whose detection is {@code body} (written from line 6, indented two spaces under detection:). */
    private static String detection(String body) {
        return HEAD + "detection:\n" + body;
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("another product", "title: T\nlogsource:\n  product: windows\n  service: security\n"
                        + "detection: {sel: {verb: x}, condition: sel}\n", "3:12", "logsource product 'windows'"),
                arguments("another service", "title: T\nlogsource:\n  product: kubernetes\n  service: kubelet\n"
                        + "detection: {sel: {verb: x}, condition: sel}\n", "4:12", "logsource service 'kubelet'"),
                arguments("another category", "title: T\nlogsource:\n  category: process_creation\n"
                        + "  product: kubernetes\n  service: audit\ndetection: {sel: {verb: x}, condition: sel}\n",
                        "3:13", "category 'process_creation'"),
                arguments("no logsource", "title: T\ndetection: {sel: {verb: x}, condition: sel}\n", "1:1",
                        "missing 'logsource'"),
                arguments("aggregation", detection("  sel:\n    verb: delete\n  condition: sel | count() by user > 5\n"),
                        "8:18", "aggregation"),
                arguments("near", detection("  a:\n    verb: delete\n  b:\n    verb: create\n"
                        + "  condition: a and near b\n"), "10:20", "'near' is not supported"),
                arguments("timeframe", detection("  sel:\n    verb: delete\n  timeframe: 5m\n  condition: sel\n"),
                        "8:3", "'timeframe'"),
                arguments("unsupported modifier", detection("  sel:\n    requestURI|base64offset|contains: x\n"
                        + "  condition: sel\n"), "7:16", "modifier 'base64offset' is not supported"),
                arguments("cidr modifier", detection("  sel:\n    sourceIPs.0|cidr: 10.0.0.0/8\n"
                        + "  condition: sel\n"), "7:17", "modifier 'cidr' is not supported"),
                arguments("two match modifiers", detection("  sel:\n    verb|contains|startswith: x\n"
                        + "  condition: sel\n"), "7:5", "cannot be combined"),
                arguments("flag without re", detection("  sel:\n    verb|i: x\n  condition: sel\n"), "7:5",
                        "a flag of 're'"),
                arguments("re with cased", detection("  sel:\n    verb|re|cased: x\n  condition: sel\n"), "7:5",
                        "already case-sensitive"),
                arguments("unknown field", detection("  sel:\n    objectRef.resourse: pods\n  condition: sel\n"),
                        "7:5", "unknown field 'objectRef.resourse' for kubernetes/audit (did you mean"
                                + " 'objectRef.resource'?)"),
                arguments("a list field", detection("  sel:\n    user.groups: system:masters\n  condition: sel\n"),
                        "7:5", "is a list: name one element"),
                arguments("an object field", detection("  sel:\n    requestObject|contains: events\n"
                        + "  condition: sel\n"), "7:5", "is an object, not a value"),
                arguments("regex not RE2", detection("  sel:\n    requestURI|re: '^/api(?=/v1)'\n"
                        + "  condition: sel\n"), "7:20", "regex refused (Logs Insights regexes are RE2)"),
                arguments("regex that does not compile", detection("  sel:\n    userAgent|re: 'curl('\n"
                        + "  condition: sel\n"), "7:19", "missing closing )"),
                arguments("re on hostPath", detection("  sel:\n    hostPath|re: '^/etc'\n  condition: sel\n"),
                        "7:18", "'re' is not supported on 'hostPath'"),
                arguments("exists needs a boolean", detection("  sel:\n    verb|exists: yes please\n"
                        + "  condition: sel\n"), "7:18", "takes one value, true or false"),
                arguments("gt needs a number", detection("  sel:\n    responseStatus.code|gt: four\n"
                        + "  condition: sel\n"), "7:29", "needs a number"),
                arguments("null with contains", detection("  sel:\n    verb|contains: null\n  condition: sel\n"),
                        "7:20", "null with 'contains'"),
                arguments("a mapping as a value", detection("  sel:\n    verb: {a: b}\n  condition: sel\n"), "7:11",
                        "expected a value or a list of values"),
                arguments("empty value list", detection("  sel:\n    verb: []\n  condition: sel\n"), "7:11",
                        "empty list of values"),
                arguments("keyword with startswith", detection("  sel:\n    '|startswith': [x]\n"
                        + "  condition: sel\n"), "7:21", "'startswith' needs a field"),
                arguments("unknown identifier", detection("  sel:\n    verb: x\n  condition: sel and filtre\n"),
                        "8:22", "unknown search identifier 'filtre'"),
                arguments("pattern matches nothing", detection("  sel:\n    verb: x\n"
                        + "  condition: sel and not 1 of filter_*\n"), "8:31", "matches no search identifier"),
                arguments("2 of", detection("  sel1:\n    verb: x\n  sel2:\n    verb: y\n  condition: 2 of sel*\n"),
                        "10:14", "'2 of' is not supported"),
                arguments("unbalanced parenthesis", detection("  sel:\n    verb: x\n  condition: (sel\n"), "8:18",
                        "expected ')'"),
                arguments("missing condition", detection("  sel:\n    verb: x\n"), "6:3", "missing 'condition'"),
                arguments("empty condition", detection("  sel:\n    verb: x\n  condition: ''\n"), "8:14",
                        "empty condition"),
                arguments("a bare pattern", detection("  sel1:\n    verb: x\n  condition: sel*\n"), "8:14",
                        "is a pattern"),
                arguments("bad level", HEAD + "level: severe\ndetection: {sel: {verb: x}, condition: sel}\n",
                        "5:8", "level 'severe'"),
                arguments("other taxonomy", HEAD + "taxonomy: ecs\ndetection: {sel: {verb: x}, condition: sel}\n",
                        "5:11", "taxonomy 'ecs'"),
                arguments("status unsupported", HEAD + "status: unsupported\n"
                        + "detection: {sel: {verb: x}, condition: sel}\n", "5:9", "status 'unsupported'"),
                arguments("correlation rule", "title: T\ncorrelation:\n  type: event_count\n", "2:1",
                        "correlation rule"),
                arguments("no title", "logsource: {product: kubernetes, service: audit}\n"
                        + "detection: {sel: {verb: x}, condition: sel}\n", "1:1", "missing 'title'"),
                arguments("yaml tab", "title: T\n\tlogsource: x\n", "2:1", "YAML syntax error: a tab character"),
                arguments("yaml alias", HEAD + "detection:\n  sel: &a {verb: x}\n  other: *a\n  condition: sel\n",
                        "7:10", "YAML alias"),
                arguments("two documents", HEAD + "detection: {sel: {verb: x}, condition: sel}\n---\ntitle: U\n",
                        "7:1", "a second YAML document"),
                arguments("empty file", "", "1:1", "empty file"),
                arguments("a list, not a rule", "- title: T\n", "1:1", "expected a Sigma rule"),
                arguments("mixed list", detection("  sel:\n    - verb: x\n    - keyword\n  condition: sel\n"), "7:5",
                        "mixes mappings and plain values"),
                arguments("empty modifier", detection("  sel:\n    verb|: x\n  condition: sel\n"), "7:10",
                        "empty modifier"),
                arguments("title without letters", "title: '***'\nlogsource: {product: kubernetes, service: audit}\n"
                        + "detection: {sel: {verb: x}, condition: sel}\n", "1:8", "no letters or digits"));
    }

    @org.junit.jupiter.api.Test
    void deepNegationIsRefusedNotAStackOverflow() {
        String cond = "not ".repeat(5000) + "sel";
        SigmaConverter.Result r = SigmaConverter.convert("rule.yml", detection("  sel:\n    verb: x\n"
                + "  condition: " + cond + "\n"));
        assertThat(r.problems().get(0).toString()).startsWith("rule.yml:8:" + (14 + 4 * Condition.MAX_DEPTH) + ": ")
                .contains("nested deeper than " + Condition.MAX_DEPTH);
    }

    @org.junit.jupiter.api.Test
    void aQueryOverTheLogsInsightsLimitIsRefusedBeforeItIsWritten() {
        // many values in one field (written as several regexes), and a small selection named many times
        for (String[] c : new String[][]{{"2000", "sel"}, {"30", String.join(" and ",
                java.util.Collections.nCopies(5000, "sel"))}}) {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < Integer.parseInt(c[0]); i++) {
                values.append("      - 'value-").append(i).append("-").append("x".repeat(40)).append("'\n");
            }
            SigmaConverter.Result r = SigmaConverter.convert("rule.yml", detection("  sel:\n    name:\n" + values
                    + "  condition: " + c[1] + "\n"));
            assertThat(r.ok()).isFalse();
            assertThat(r.problems().get(0).toString()).startsWith("rule.yml:5:1: ")
                    .contains("would be over 10000 characters, the most Logs Insights accepts");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedAtItsLineAndColumnWithTheReason(String name, String sigma, String at, String reason) {
        SigmaConverter.Result r = SigmaConverter.convert("rule.yml", sigma);
        assertThat(r.ok()).as(name).isFalse();
        assertThat(r.rule()).isNull();
        List<RuleProblem> ps = r.problems();
        assertThat(ps).isNotEmpty();
        RuleProblem first = ps.get(0);
        assertThat(first.toString()).as(name + ": " + ps).startsWith("rule.yml:" + at + ": ");
        assertThat(first.message()).as(name).contains(reason);
    }
}
