package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing read is skipped in silence: each line is an event or counted under a named reason; timestamps in any
 * epoch unit are read as the right instant and absurd ones never overflow; a BOM, rotated files and an endless
 * line in any format are handled.
 */
class ReadGuaranteesTest {
    @TempDir
    Path dir;

    private record Read(List<LogEvent> events, ReadReport report) {
    }

    private static Read read(LocalLogs logs) throws IOException {
        List<LogEvent> events = new ArrayList<>();
        ReadReport report = logs.read(events::add);
        assertThat(report.skippedByReason().values().stream().mapToLong(Long::longValue).sum())
                .as("the counts by reason add up to the skipped total").isEqualTo(report.malformed());
        return new Read(events, report);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path writeGz(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    private static final String OK = "2026-11-20T10:00:00.123Z";
    private static final long OK_MS = Instant.parse(OK).toEpochMilli();

    /**
     * One timestamp value (as written in the JSON) and what it must give: the instant, or the reason it is
     * skipped. Each row is read as a JSON Lines event (fast and Jackson paths), as an event in an export JSON
     * document, and as ingestionTime.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "1763632800                   | 2025-11-20T10:00:00Z",          // seconds
            "1763632800123                | 2025-11-20T10:00:00.123Z",      // milliseconds
            "1763632800123456             | 2025-11-20T10:00:00.123Z",      // microseconds
            "1763632800123456789          | 2025-11-20T10:00:00.123Z",      // nanoseconds
            "1763632800.5                 | 2025-11-20T10:00:00.500Z",      // seconds with a fraction
            "1.7636328e12                 | 2025-11-20T10:00:00Z",          // ms with an exponent
            "\"1763632800123456\"         | 2025-11-20T10:00:00.123Z",      // µs as a string
            "0                            | 1970-01-01T00:00:00Z",
            "99999999999                  | 5138-11-16T09:46:39Z",          // the largest seconds value
            "100000000000                 | 1973-03-03T09:46:40Z",          // the smallest milliseconds value
            "\"9999-12-31T23:59:59.999Z\" | 9999-12-31T23:59:59.999Z",
            "-1                           | timestamp out of range (1970–9999)",
            "-1763632800000               | timestamp out of range (1970–9999)",
            "1e300                        | timestamp out of range (1970–9999)",
            "-1e300                       | timestamp out of range (1970–9999)",
            "99999999999999999999999999   | timestamp out of range (1970–9999)",
            "\"99999999999999999999999\"  | timestamp out of range (1970–9999)",
            "\"+999999999-12-31T23:59:59Z\" | timestamp out of range (1970–9999)",
            "\"-999999999-01-01T00:00:00Z\" | timestamp out of range (1970–9999)",
            "\"+10000-01-01T00:00:00Z\"   | timestamp out of range (1970–9999)",
            "\"1969-12-31T23:59:59.999Z\" | timestamp out of range (1970–9999)",
            "\"0001-01-01T00:00:00Z\"     | timestamp out of range (1970–9999)",
            "\"yesterday\"                | bad timestamp",
            "\"1e300\"                    | bad timestamp",
            "true                         | bad timestamp",
            "{\"a\":1}                    | bad timestamp",
    })
    void timestampsInEveryUnitAreReadAndAbsurdOnesAreCountedNeverOverflow(String value, String expected)
            throws IOException {
        String event = "{\"logStreamName\":\"s\",\"timestamp\":" + value + ",\"message\":\"m\"}";
        String withIngestion = "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"m\",\"ingestionTime\":"
                + value + "}";
        Path lines = write("t.jsonl", "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"before\"}\n"
                + event + "\n" + withIngestion + "\n");
        Path export = write("t.json", "{\"events\":[" + event + ",\n" + withIngestion + "]}");
        for (LocalLogs logs : List.of(LocalLogs.open(lines), LocalLogs.open(lines).withFastPath(false),
                LocalLogs.open(export))) {
            Read r = read(logs);
            List<LogEvent> got = r.events().stream().filter(e -> !e.message().equals("before")).toList();
            if (expected.contains(":")) {
                long ms = Instant.parse(expected).toEpochMilli();
                assertThat(got).as(logs.root().toString()).hasSize(2);
                assertThat(got.get(0).timestamp()).isEqualTo(ms);
                assertThat(got.get(1).ingestionTime()).isEqualTo(ms);
                assertThat(r.report().malformed()).isZero();
            } else {
                assertThat(got).as(logs.root() + ": " + r.report()).isEmpty();
                assertThat(r.report().skippedByReason()).isEqualTo(Map.of(expected, 2L));
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "2026-11-20T10:00:00.000000Z | 2026-11-20T10:00:00Z",
            "1969-12-31T23:59:59Z        | timestamp out of range (1970–9999)",
            "+10000-01-01T00:00:00Z      | timestamp out of range (1970–9999)",
            "+999999999-12-31T23:59:59Z  | timestamp out of range (1970–9999)",
            "2026-13-01T00:00:00Z        | bad timestamp",
    })
    void auditStageTimestampsOutsideTheRangeAreCounted(String stage, String expected) throws IOException {
        String audit = "{\"kind\":\"Event\",\"auditID\":\"a\",\"stageTimestamp\":\"" + stage + "\"}";
        Read r = read(LocalLogs.open(write("audit.log", audit + "\n")));
        if (expected.contains(":")) {
            assertThat(r.events()).extracting(LogEvent::timestamp).containsExactly(Instant.parse(expected)
                    .toEpochMilli());
        } else {
            assertThat(r.events()).isEmpty();
            assertThat(r.report().skippedByReason()).isEqualTo(Map.of(expected, 1L));
            assertThat(r.report().malformedSamples().get(0)).contains("stageTimestamp");
        }
    }

    @Test
    void everyKindOfBadLineIsCountedUnderItsReason() throws IOException {
        String text = String.join("\n",
                "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"ok\"}",
                "not json",
                "[1,2]",
                "{\"some\":\"object\"}",
                "{\"logStreamName\":\"s\",\"message\":\"no time\"}",
                "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + "}",
                "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":[1]}",
                "{\"logStreamName\":\"s\",\"timestamp\":\"soon\",\"message\":\"m\"}",
                "{\"logStreamName\":\"s\",\"timestamp\":-5,\"message\":\"m\"}",
                "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"" + "x".repeat(3000) + "\"}",
                "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                "{\"kind\":\"Event\",\"auditID\":\"x\"}") + "\n";
        Path file = write("mixed.jsonl", text);
        Read r = read(LocalLogs.open(file).withMaxLineBytes(20_000 + 2048));
        Read small = read(LocalLogs.open(file).withMaxLineBytes(2048));
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("ok",
                "x".repeat(3000));
        assertThat(r.report().skippedByReason()).containsExactly(
                Map.entry("invalid JSON", 1L), Map.entry("not an event", 2L), Map.entry("missing timestamp", 2L),
                Map.entry("missing field", 1L), Map.entry("wrong type", 1L), Map.entry("bad timestamp", 1L),
                Map.entry("timestamp out of range (1970–9999)", 1L), Map.entry("too deep", 1L));
        assertThat(small.report().skippedByReason()).containsEntry("too long", 2L);
        assertThat(small.events()).extracting(LogEvent::message).containsExactly("ok");
    }

    @Test
    void aByteOrderMarkIsStrippedAtTheStartOfAFileAndOfAJsonLine() throws IOException {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        String e1 = "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"first\"}";
        String e2 = "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"second\"}";
        String bomText = new String(bom, StandardCharsets.UTF_8);
        Path lines = write("bom.jsonl", bomText + e1 + "\n" + bomText + e2 + "\n");
        Path gz = writeGz("bom.jsonl.gz", bomText + e1 + "\n" + e2 + "\n");
        Path export = write("bom.json", bomText + "{\"events\":[" + e1 + "," + e2 + "]}");
        Path s3 = writeGz("task/s/000000.gz", bomText + OK + " first\n" + OK + " second\n");
        Path audit = write("audit-bom.log", bomText + "{\"kind\":\"Event\",\"auditID\":\"a\",\"stageTimestamp\":\""
                + OK + "\",\"verb\":\"first\"}\n");
        for (Path p : List.of(lines, gz, export, s3)) {
            for (boolean fast : new boolean[] {true, false}) {
                Read r = read(LocalLogs.open(p).withFastPath(fast));
                assertThat(r.events()).as(p.toString()).extracting(LogEvent::message)
                        .containsExactly("first", "second");
                assertThat(r.report().malformed()).isZero();
            }
        }
        Read a = read(LocalLogs.open(audit));
        assertThat(a.events()).hasSize(1);
        assertThat(a.events().get(0).message()).startsWith("{\"kind\"");
    }

    @Test
    void aDirectoryWalkReadsRotatedAndCompressedSiblings() throws IOException {
        String[] names = {"audit.log", "audit.log.1", "audit.log.2.gz", "audit-2026-11-20T10-00-00.000.log",
                "audit.log-20261120", "kube.log.20261120.gz", "events.jsonl.3", "events.json-2026-11-20"};
        for (String name : names) {
            String line = "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"" + name + "\"}\n";
            if (name.endsWith(".gz")) {
                writeGz("logs/" + name, line);
            } else {
                write("logs/" + name, line);
            }
        }
        for (String ignored : new String[] {"notes.txt", "audit.log.old", "audit.log.swp", ".audit.log.1",
                "audit.log.1.bak"}) {
            write("logs/" + ignored, "{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":\"no\"}\n");
        }
        LocalLogs logs = LocalLogs.open(dir.resolve("logs"));
        Read r = read(logs);
        assertThat(r.events()).extracting(LogEvent::message).containsExactlyInAnyOrder(names);
        assertThat(logs.skippedFiles()).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("notes.txt", "audit.log.old", "audit.log.swp", ".audit.log.1",
                        "audit.log.1.bak");
    }

    @Test
    void theRotationRuleIsTheDocumentedOne() {
        record Row(String name, boolean read) {
        }
        for (Row row : List.of(new Row("audit.log", true), new Row("audit.log.1", true),
                new Row("audit.log.12.gz", true), new Row("audit.log-20261120", true),
                new Row("audit.log_2026-11-20T10:00:00", true), new Row("audit.log.", false),
                new Row("audit.log.x1", false), new Row("audit.log.1a", false), new Row("catalog", false),
                new Row("audit.logs", false), new Row("000123.gz", true), new Row("x.ndjson.7", true))) {
            assertThat(LocalLogs.isLogFile(Path.of(row.name()))).as(row.name()).isEqualTo(row.read());
        }
    }

    /**
     * An S3 export object holding one endless line (the attack: a small .gz that inflates to one line of gigabytes)
     * is reported as "too long" and the lines after it are still read; memory stays within the cap. The input is
     * generated, not checked in.
     */
    @Test
    void anEndlessLineInAnS3ExportIsTooLongAndTheNextLinesAreRead() throws IOException {
        Path p = dir.resolve("task/kube-apiserver-audit-1/000000.gz");
        Files.createDirectories(p.getParent());
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p), 1 << 16)) {
            out.write((OK + " before\n").getBytes(StandardCharsets.UTF_8));
            out.write((OK + " ").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 96; i++) { // 96 MB of one line
                out.write(chunk);
            }
            out.write(("\ncontinuation of the endless message\n" + OK + " after\n" + OK + " last\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.size(p)).as("a small file").isLessThan(1 << 20);
        Read r = read(LocalLogs.open(p).withMaxLineBytes(1 << 20));
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("before", "after", "last");
        assertThat(r.events()).extracting(LogEvent::logStream).containsOnly("kube-apiserver-audit-1");
        assertThat(r.report().skippedByReason()).isEqualTo(Map.of("too long", 1L));
        assertThat(r.report().malformedSamples()).containsExactly(p + ":2: line longer than 1048576 bytes, skipped"
                + " (with the lines after it up to the next timestamp)");
    }

    private record ExportRow(String name, String text, List<String> messages, List<String> samples) {
    }

    /**
     * The line cap holds for a whole S3-export record: a record of the cap or more — one line, or built from
     * continuation lines — is counted once as "too long" (at its first line) and not delivered, nothing of it is, and
     * reading goes on at the next timestamp. Found by the fuzz harness (s3-export-line-cap): a line right after a too
     * long one was read whole however long, and continuation lines grew a message past the cap.
     */
    @Test
    void s3ExportRecordsLongerThanTheCapAreTooLongWholeAndReadingGoesOn() throws IOException {
        int cap = 256;
        String ts = OK + " ";
        String x300 = "x".repeat(300);
        String line99 = "c".repeat(99); // three continuation lines with their breaks: 300 bytes
        String exact = "y".repeat(cap - 1 - ts.length() - 1 - 10); // with "\n" + 10 bytes: cap - 1 bytes in all
        String tooLong = ":2: line longer than 256 bytes, skipped (with the lines after it up to the next timestamp)";
        String tooLongRecord = ":2: event longer than 256 bytes with its continuation lines, skipped";
        for (ExportRow row : List.of(
                new ExportRow("two long lines in one buffer", ts + "one\n" + ts + x300 + "\n" + ts + x300 + "\n"
                        + ts + "after\n", List.of("one", "after"),
                        List.of(tooLong, tooLong.replace(":2:", ":3:"))),
                new ExportRow("a long last line without newline after a long one", ts + x300 + "\n" + ts + x300,
                        List.of(), List.of(tooLong.replace(":2:", ":1:"), tooLong)),
                new ExportRow("continuations past the cap", ts + "one\n" + ts + "start\n" + line99 + "\n" + line99
                        + "\n" + line99 + "\nstill dropped\n" + ts + "after\n", List.of("one", "after"),
                        List.of(tooLongRecord)),
                new ExportRow("a too long continuation line", ts + "one\n" + ts + "start\n" + x300 + "\nmore\n" + ts
                        + "after\n", List.of("one", "after"), List.of(tooLongRecord)),
                new ExportRow("a too long record after an open one", ts + "one\nline two\n" + ts + x300 + "\nmore\n"
                        + ts + "after\n", List.of("one\nline two", "after"), List.of(tooLong.replace(":2:", ":3:"))),
                new ExportRow("one byte short of the cap", ts + exact + "\n" + "z".repeat(10) + "\n",
                        List.of(exact + "\n" + "z".repeat(10)), List.of()),
                new ExportRow("exactly the cap", ts + "one\n" + ts + exact + "\n" + "z".repeat(11) + "\n" + ts
                        + "after", List.of("one", "after"), List.of(tooLongRecord)))) {
            Path p = writeGz("cap/" + row.name().replace(' ', '-') + "/000000.gz", row.text());
            Read r = read(LocalLogs.open(p).withMaxLineBytes(cap));
            assertThat(r.events()).as(row.name()).extracting(LogEvent::message)
                    .containsExactlyElementsOf(row.messages());
            assertThat(r.report().malformedSamples()).as(row.name())
                    .containsExactlyElementsOf(row.samples().stream().map(sample -> p + sample).toList());
            assertThat(r.report().skippedByReason()).as(row.name())
                    .isEqualTo(row.samples().isEmpty() ? Map.of() : Map.of("too long", (long) row.samples().size()));
        }
    }

    @Test
    void s3ExportLinesOutOfRangeAreCountedWithTheirContinuation() throws IOException {
        Path p = writeGz("task/s/000001.gz", OK + " one\n1969-12-31T23:59:59.000Z old\nmore of old\n"
                + OK + " two\n");
        Read r = read(LocalLogs.open(p));
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("one", "two");
        assertThat(r.report().skippedByReason()).isEqualTo(Map.of("timestamp out of range (1970–9999)", 1L));
    }

    @Test
    void anExportEventLongerThanTheCapIsTooLong() throws IOException {
        String e1 = "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"first\"}";
        String big = "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"" + "y".repeat(5000) + "\"}";
        Path p = write("big.json", "{\"events\":[" + e1 + ",\n" + big + "]}");
        Read r = read(LocalLogs.open(p).withMaxLineBytes(1024));
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("first");
        assertThat(r.report().skippedByReason()).isEqualTo(Map.of("too long", 1L));
    }

    /**
     * Bytes Jackson takes for UTF-32 (a line or an export starting with NULs or a UTF-32 byte order mark) are invalid
     * JSON, counted at their line: Jackson's CharConversionException is no JsonProcessingException and used to escape
     * the reader, ending the whole read (found by the fuzz harness, corrupt-gzip).
     */
    @Test
    void textJacksonTakesForUtf32IsInvalidJsonNotAnEndOfTheRead() throws IOException {
        String good = "{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS + ",\"message\":\"m\"}";
        byte[] utf32Bom = {0, 0, (byte) 0xFE, (byte) 0xFF, (byte) 0xFE, (byte) 0xFF, 0, 0, 1, 2, 3, 4};
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        lines.write((good + "\n").getBytes(StandardCharsets.UTF_8));
        lines.write(utf32Bom);
        lines.write(("\n" + good + "\n").getBytes(StandardCharsets.UTF_8));
        Path jsonl = write("utf32.jsonl", lines.toByteArray());
        Read r = read(LocalLogs.open(jsonl));
        assertThat(r.events()).hasSize(2);
        assertThat(r.report().skippedByReason()).isEqualTo(Map.of("invalid JSON", 1L));
        assertThat(r.report().malformedSamples()).singleElement().asString().startsWith(jsonl + ":2: invalid JSON");

        byte[] export = {'[', 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        Path json = write("utf32.json", export);
        r = read(LocalLogs.open(json));
        assertThat(r.events()).isEmpty();
        assertThat(r.report().skippedByReason()).isEqualTo(Map.of("invalid JSON", 1L));
    }

    @Test
    void truncatedAndCorruptGzipAreCountedUnderTheirReasons() throws IOException {
        Path whole = writeGz("whole.jsonl.gz", ("{\"logStreamName\":\"s\",\"timestamp\":" + OK_MS
                + ",\"message\":\"m\"}\n").repeat(1000));
        byte[] bytes = Files.readAllBytes(whole);
        write("t/cut.jsonl.gz", Arrays.copyOf(bytes, bytes.length / 2));
        byte[] corrupt = bytes.clone();
        for (int i = 20; i < 60; i++) {
            corrupt[i] = (byte) 0x55;
        }
        write("t/bad.jsonl.gz", corrupt);
        Read r = read(LocalLogs.open(dir.resolve("t")));
        assertThat(r.report().skippedByReason()).containsEntry("truncated gzip", 1L).containsEntry("corrupt gzip", 1L);
    }
}
