package io.ekslookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scan and query never skip a line in silence: the summary counts skipped lines by reason, --report writes them as
 * JSON, and --strict turns any skip into exit code 2 (0/1 as usual otherwise). Events in epoch seconds, µs or ns
 * are evaluated by the rules like milliseconds.
 */
class ReadStrictTest {
    @TempDir
    Path dir;
    Path rules;
    String out;
    String err;

    private int run(List<String> args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args.toArray(String[]::new));
        out = o.toString();
        err = e.toString();
        return code;
    }

    @BeforeEach
    void rules() throws IOException {
        rules = dir.resolve("rules");
        Files.createDirectories(rules);
        Files.writeString(rules.resolve("verb-delete.yaml"), """
                id: verb-delete
                title: Something was deleted
                summary: Something was deleted.
                severity: high
                description: deletes
                query: |
                  filter verb = "delete"
                  | fields @timestamp, verb
                """);
    }

    private static String event(String timestamp, String verb) {
        return "{\"logStreamName\":\"kube-apiserver-audit-1\",\"timestamp\":" + timestamp + ",\"message\":"
                + "\"{\\\"kind\\\":\\\"Event\\\",\\\"verb\\\":\\\"" + verb + "\\\"}\"}\n";
    }

    private Path logs(String... lines) throws IOException {
        Path p = dir.resolve("logs.jsonl");
        Files.writeString(p, String.join("", lines));
        return p;
    }

    /**
     * Rows: the timestamp of a "delete" event, whether a bad line follows, --strict, and the scan's exit code
     * (1: the delete was evaluated and found; 0: nothing fired; 2: --strict and a line skipped).
     */
    @ParameterizedTest(name = "ts={0} badLine={1} strict={2} -> {3}")
    @CsvSource({
            "1763632800,                  false, false, 1",  // seconds
            "1763632800000,               false, false, 1",  // milliseconds
            "1763632800000000,            false, false, 1",  // microseconds
            "1763632800000000000,         false, false, 1",  // nanoseconds
            "1763632800000,               false, true,  1",
            "1763632800000,               true,  false, 1",
            "1763632800000,               true,  true,  2",
            "-1763632800000,              false, false, 2",  // the only event out of range: nothing evaluated
            "1e300,                       false, true,  2",
    })
    void scanExitCodes(String ts, boolean badLine, boolean strict, int expected) throws IOException {
        Path logs = logs(event(ts, "delete"), badLine ? "not json\n" : "");
        List<String> args = new ArrayList<>(List.of("scan", "--logs", logs.toString(), "--rules", rules.toString()));
        if (strict) {
            args.add("--strict");
        }
        assertThat(run(args)).as(out + err).isEqualTo(expected);
        if (expected == 1) {
            assertThat(out).contains("verb-delete").contains("2025-11-20 10:00:00.000");
        }
        if (strict && expected == 2) {
            assertThat(err).contains("error: --strict: 1 line(s) of the logs were skipped");
        }
    }

    @Test
    void aSkippedLineBesideGoodOnesIsNamedInTheSummaryAndStrictMakesItExit2() throws IOException {
        Path logs = logs(event("1763632800000", "get"), event("-5", "delete"), event("\"soon\"", "get"));
        assertThat(run(List.of("scan", "--logs", logs.toString(), "--rules", rules.toString()))).isZero();
        assertThat(out).contains("events read: 1; malformed lines: 2 (bad timestamp 1, timestamp out of range"
                + " (1970–9999) 1)")
                .contains("malformed: " + logs + ":2: \"timestamp\" -5 is outside 1970-01-01..9999-12-31");
        assertThat(run(List.of("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--strict")))
                .isEqualTo(2);
    }

    @Test
    void queryStrictAndReport() throws IOException {
        Path logs = logs(event("1763632800000", "get"), "not json\n", event("\"+999999999-12-31T23:59:59Z\"", "x"));
        Path report = dir.resolve("read.json");
        String q = "fields @timestamp | limit 5";
        assertThat(run(List.of("query", "--logs", logs.toString(), q))).isZero();
        assertThat(err).contains("warning: 2 malformed record(s) skipped:")
                .contains("by reason: invalid JSON 1, timestamp out of range (1970–9999) 1");
        assertThat(run(List.of("query", "--logs", logs.toString(), "--strict", "--report", report.toString(), q)))
                .isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("command").asText()).isEqualTo("query");
        assertThat(json.get("eventsRead").asLong()).isEqualTo(1);
        assertThat(json.get("skippedLines").asLong()).isEqualTo(2);
        assertThat(json.get("skippedByReason").get("invalid JSON").asLong()).isEqualTo(1);
        assertThat(json.get("skippedByReason").get("timestamp out of range (1970–9999)").asLong()).isEqualTo(1);
        assertThat(json.get("skippedSamples")).hasSize(2);
        assertThat(json.get("rows").asLong()).isEqualTo(1);
        assertThat(json.get("exitCode").asInt()).isEqualTo(2);
        Path clean = dir.resolve("clean.jsonl");
        Files.writeString(clean, event("1763632800000", "get"));
        assertThat(run(List.of("query", "--logs", clean.toString(), "--strict", q))).isZero();
    }

    @Test
    void scanReportIsASeparateJsonFileAndStdoutKeepsOneFindingPerLine() throws IOException {
        Path logs = logs(event("1763632800000", "delete"), "{\"a\":1}\n");
        Path report = dir.resolve("scan-report.json");
        assertThat(run(List.of("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--format", "json",
                "--report", report.toString()))).isEqualTo(1);
        assertThat(out.lines().toList()).hasSize(1).allSatisfy(l -> assertThat(l).startsWith("{\"ruleId\":"));
        assertThat(err).contains("malformed lines: 1 (not an event 1)");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("command").asText()).isEqualTo("scan");
        assertThat(json.get("skippedByReason").get("not an event").asLong()).isEqualTo(1);
        assertThat(json.get("findings").asLong()).isEqualTo(1);
        assertThat(json.get("rulesRun").asLong()).isEqualTo(1);
        assertThat(json.get("exitCode").asInt()).isEqualTo(1);
    }
}
