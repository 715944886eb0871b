package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalLogsTest {
    @TempDir
    Path dir;

    /** 2025-11-20T10:00:00Z in epoch ms: small numbers would be read as epoch seconds (see Timestamps). */
    private static final long T0 = 1_763_632_800_000L;

    private static final String AUDIT_MSG = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":\"get\"}";

    private static String jsonl(String stream, long ts, String message, Long ingestion) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"logStreamName\":\"" + stream + "\",\"timestamp\":" + ts + ",\"message\":\"" + escaped + "\""
                + (ingestion == null ? "" : ",\"ingestionTime\":" + ingestion) + ",\"eventId\":\"e" + ts + "\"}";
    }

    private record Read(List<LogEvent> events, ReadReport report) {
    }

    private static Read read(LogSource source) throws IOException {
        List<LogEvent> events = new ArrayList<>();
        ReadReport report = source.read(events::add);
        return new Read(events, report);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Path writeGz(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    private static String sampleLines() {
        return String.join("\n",
                jsonl("kube-apiserver-audit-0a1b", T0 + 1_000, AUDIT_MSG, T0 + 1_500L),
                "this is not json",
                jsonl("authenticator-0a1b", T0 + 2_000, "time=\"x\" level=info msg=\"access granted\"", null),
                "",
                "{\"logStreamName\":\"authenticator-0a1b\",\"message\":\"no timestamp\"}",
                jsonl("kube-scheduler-0a1b", T0 + 3_000,
                        "I0915 12:19:43.933124 1 scheduler.go:604] \"Successfully bound\"", T0 + 3_100L)) + "\n";
    }

    @Test
    void readsJsonLinesAndReportsMalformedLinesWithTheirLocation() throws IOException {
        Path file = write("events.jsonl", sampleLines());
        Read r = read(LocalLogs.open(file));

        assertThat(r.events()).extracting(LogEvent::logStream)
                .containsExactly("kube-apiserver-audit-0a1b", "authenticator-0a1b", "kube-scheduler-0a1b");
        LogEvent first = r.events().get(0);
        assertThat(first.timestamp()).isEqualTo(T0 + 1_000);
        assertThat(first.ingestionTime()).isEqualTo(T0 + 1_500);
        assertThat(first.message()).isEqualTo(AUDIT_MSG);
        assertThat(first.logGroup()).isEqualTo(LocalLogs.DEFAULT_LOG_GROUP);
        assertThat(first.eventId()).isEqualTo("e" + (T0 + 1_000));
        assertThat(r.events().get(1).ingestionTime()).as("missing ingestionTime is the timestamp").isEqualTo(T0 + 2_000);
        assertThat(r.events().get(1).message()).isEqualTo("time=\"x\" level=info msg=\"access granted\"");

        assertThat(r.report().events()).isEqualTo(3);
        assertThat(r.report().malformed()).isEqualTo(2);
        assertThat(r.report().malformedSamples()).hasSize(2);
        assertThat(r.report().malformedSamples().get(0)).startsWith(file + ":2: invalid JSON at column 1");
        assertThat(r.report().malformedSamples().get(1)).isEqualTo(file + ":5: missing \"timestamp\"");
        assertThat(r.report().bytes()).isEqualTo(Files.size(file));
    }

    @Test
    void gzipIsDetectedByContentAndGivesTheSameEvents() throws IOException {
        Read plain = read(LocalLogs.open(write("a.jsonl", sampleLines())));
        Read gz = read(LocalLogs.open(writeGz("b.jsonl.gz", sampleLines())));
        Read gzNoExt = read(LocalLogs.open(writeGz("c.data", sampleLines())));
        assertThat(gz.events()).isEqualTo(plain.events());
        assertThat(gzNoExt.events()).isEqualTo(plain.events());
        assertThat(gz.report().malformed()).isEqualTo(2);
        assertThat(gz.report().bytes()).isEqualTo(plain.report().bytes());
    }

    @Test
    void crlfLineEndingsAndTrailingLineWithoutNewline() throws IOException {
        String text = jsonl("s", 1, "a", null) + "\r\n" + jsonl("s", 2, "b", null);
        Read r = read(LocalLogs.open(write("crlf.jsonl", text)));
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("a", "b");
        assertThat(r.report().malformed()).isZero();
    }

    @Test
    void logGroupCanBeOverridden() throws IOException {
        Read r = read(LocalLogs.open(write("g.jsonl", jsonl("s", 1, "a", null)), "/aws/eks/prod/cluster"));
        assertThat(r.events().get(0).logGroup()).isEqualTo("/aws/eks/prod/cluster");
    }

    @Test
    void readsFilterLogEventsOutput() throws IOException {
        String json = "{\n"
                + "    \"events\": [\n"
                + "        {\n"
                + "            \"logStreamName\": \"authenticator-8c0c\",\n"
                + "            \"timestamp\": 1628452684000,\n"
                + "            \"message\": \"time=\\\"2021-08-08T20:04:44Z\\\" level=warning msg=\\\"access denied\\\"\",\n"
                + "            \"ingestionTime\": 1628452686282,\n"
                + "            \"eventId\": \"36312398473264283423\"\n"
                + "        },\n"
                + "        {\n"
                + "            \"logStreamName\": \"authenticator-8c0c\",\n"
                + "            \"message\": \"no timestamp here\"\n"
                + "        },\n"
                + "        {\n"
                + "            \"logStreamName\": \"kube-apiserver-audit-4d51\",\n"
                + "            \"timestamp\": 1628452685000,\n"
                + "            \"message\": \"{\\\"kind\\\":\\\"Event\\\"}\",\n"
                + "            \"ingestionTime\": 1628452686000,\n"
                + "            \"eventId\": \"36312398473264283424\"\n"
                + "        }\n"
                + "    ],\n"
                + "    \"searchedLogStreams\": [],\n"
                + "    \"nextToken\": \"abc\"\n"
                + "}\n";
        Path file = write("export.json", json);
        Read r = read(LocalLogs.open(file));
        assertThat(r.events()).hasSize(2);
        LogEvent e = r.events().get(0);
        assertThat(e.logStream()).isEqualTo("authenticator-8c0c");
        assertThat(e.timestamp()).isEqualTo(1628452684000L);
        assertThat(e.ingestionTime()).isEqualTo(1628452686282L);
        assertThat(e.message()).isEqualTo("time=\"2021-08-08T20:04:44Z\" level=warning msg=\"access denied\"");
        assertThat(e.eventId()).isEqualTo("36312398473264283423");
        assertThat(r.events().get(1).message()).isEqualTo("{\"kind\":\"Event\"}");
        assertThat(r.report().malformed()).isEqualTo(1);
        assertThat(r.report().malformedSamples()).containsExactly(file + ":10: missing \"timestamp\"");
    }

    @Test
    void readsGetLogEventsOutputNamingTheStreamAfterTheFile() throws IOException {
        String json = "{\"events\":[{\"timestamp\":" + (T0 + 5) + ",\"message\":\"hello\",\"ingestionTime\":" + (T0 + 6) + "}],"
                + "\"nextForwardToken\":\"f/1\",\"nextBackwardToken\":\"b/1\"}";
        Read r = read(LocalLogs.open(writeGz("kube-scheduler-bb3e.json.gz", json)));
        assertThat(r.events()).containsExactly(
                new LogEvent(T0 + 5, T0 + 6, "hello", "kube-scheduler-bb3e", LocalLogs.DEFAULT_LOG_GROUP, null));
    }

    @Test
    void readsABareArrayAndSeveralPages() throws IOException {
        String json = "[{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":\"a\"}]\n"
                + "{\"events\":[{\"logStreamName\":\"s\",\"timestamp\":2,\"message\":\"b\"}]}";
        Read r = read(LocalLogs.open(write("pages.json", json)));
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("a", "b");
    }

    @Test
    void brokenExportKeepsEventsBeforeTheBreakAndReportsIt() throws IOException {
        String json = "{\"events\":[{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":\"a\"},\n{\"logStreamName\":";
        Path file = write("broken.json", json);
        Read r = read(LocalLogs.open(file));
        assertThat(r.events()).hasSize(1);
        assertThat(r.report().malformed()).isEqualTo(1);
        assertThat(r.report().malformedSamples().get(0)).startsWith(file + ":2: invalid JSON")
                .endsWith("the rest of this file was not read");
    }

    @Test
    void readsRawKubernetesAuditLogAtStageTimestamp() throws IOException {
        String line1 = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Request\","
                + "\"auditID\":\"8f9a5a16-f115-4bb8-912f-ee2b1d737ff1\",\"stage\":\"ResponseComplete\","
                + "\"requestURI\":\"/api/v1/namespaces/kube-system/configmaps/aws-auth\",\"verb\":\"patch\","
                + "\"requestObject\":{\"data\":{\"stageTimestamp\":\"1999-01-01T00:00:00Z\"}},"
                + "\"requestReceivedTimestamp\":\"2021-10-27T05:43:01.033516Z\","
                + "\"stageTimestamp\":\"2021-10-27T05:43:01.042364Z\"}";
        String line2 = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"x\"}";
        String line3 = "{\"kind\":\"Event\",\"auditID\":\"y\",\"stageTimestamp\":\"yesterday\"}";
        String line4 = "{\"hello\":\"world\"}";
        Path file = write("audit.log", line1 + "\n" + line2 + "\n" + line3 + "\n" + line4 + "\n");
        Read r = read(LocalLogs.open(file));
        assertThat(r.events()).hasSize(1);
        LogEvent e = r.events().get(0);
        assertThat(e.logStream()).isEqualTo("kube-apiserver-audit");
        assertThat(e.timestamp()).isEqualTo(java.time.Instant.parse("2021-10-27T05:43:01.042Z").toEpochMilli());
        assertThat(e.ingestionTime()).isEqualTo(e.timestamp());
        assertThat(e.message()).isEqualTo(line1);
        assertThat(r.report().malformedSamples()).containsExactly(
                file + ":2: audit event without \"stageTimestamp\"",
                file + ":3: \"stageTimestamp\": not an RFC 3339 timestamp: \"yesterday\"",
                file + ":4: neither a CloudWatch Logs event (logStreamName, timestamp, message) nor a Kubernetes"
                        + " audit event (stageTimestamp)");
    }

    @Test
    void readsV1beta1AuditEventsWithATopLevelTimestamp() throws IOException {
        // the shape of Falco's audit traces: audit.k8s.io/v1beta1 events carry "timestamp" beside stageTimestamp
        String both = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1beta1\",\"metadata\":"
                + "{\"creationTimestamp\":\"2018-10-26T19:59:13Z\"},\"level\":\"Request\","
                + "\"timestamp\":\"2018-10-26T19:59:13Z\",\"auditID\":\"a1\",\"stage\":\"ResponseComplete\","
                + "\"verb\":\"create\",\"requestReceivedTimestamp\":\"2018-10-26T19:59:13.001000Z\","
                + "\"stageTimestamp\":\"2018-10-26T19:59:13.250000Z\"}";
        String onlyTimestamp = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1beta1\","
                + "\"timestamp\":\"2018-10-26T20:00:00Z\",\"auditID\":\"a2\",\"verb\":\"get\"}";
        String cloudWatch = jsonl("kube-apiserver-audit-1", 1_540_584_000_500L, AUDIT_MSG, null);
        Path file = write("falco.log", both + "\n" + onlyTimestamp + "\n" + cloudWatch);
        Read r = read(LocalLogs.open(file));
        assertThat(r.report().malformedSamples()).isEmpty();
        assertThat(r.events()).extracting(LogEvent::timestamp).containsExactly(
                java.time.Instant.parse("2018-10-26T19:59:13.250Z").toEpochMilli(),
                java.time.Instant.parse("2018-10-26T20:00:00Z").toEpochMilli(), 1_540_584_000_500L);
        assertThat(r.events()).extracting(LogEvent::logStream).containsExactly("kube-apiserver-audit",
                "kube-apiserver-audit", "kube-apiserver-audit-1");
        assertThat(r.events().get(0).message()).isEqualTo(both);
        assertThat(r.events().get(1).message()).isEqualTo(onlyTimestamp);
    }

    @Test
    void wrongTypesAndTrailingDataAreReported() throws IOException {
        String text = String.join("\n",
                "{\"logStreamName\":\"s\",\"timestamp\":\"not a time\",\"message\":\"m\"}",
                "{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":{\"a\":1}}",
                "{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":\"m\"} {\"a\":1}",
                "[1,2]",
                "{\"logStreamName\":\"s\",\"timestamp\":\"2026-11-20T10:00:00.5Z\",\"message\":\"ok\"}",
                "{\"timestamp\":1,\"message\":\"m\"}") + "\n";
        Path file = write("types.jsonl", text);
        Read r = read(LocalLogs.open(file));
        assertThat(r.events()).extracting(LogEvent::timestamp).containsExactly(
                java.time.Instant.parse("2026-11-20T10:00:00.500Z").toEpochMilli());
        assertThat(r.report().malformed()).isEqualTo(5);
        assertThat(r.report().malformedSamples()).containsExactly(
                file + ":1: \"timestamp\" is neither an epoch number nor an RFC 3339 timestamp: \"not a time\"",
                file + ":2: \"message\" must be a string, found an object",
                file + ":3: unexpected data after the JSON object",
                file + ":4: expected a JSON object, found an array",
                file + ":6: missing \"logStreamName\"");
    }

    @Test
    void onlyTheFirstFewMalformedLinesAreDescribedButAllAreCounted() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append("garbage ").append(i).append('\n');
        }
        Read r = read(LocalLogs.open(write("bad.jsonl", sb.toString())));
        assertThat(r.report().malformed()).isEqualTo(50);
        assertThat(r.report().malformedSamples()).hasSize(ReadTally.MAX_SAMPLES);
    }

    @Test
    void directoryIsReadRecursivelyInPathOrderSkippingNonLogFiles() throws IOException {
        write("b/2.jsonl", jsonl("s", 2, "two", null));
        write("a/1.jsonl", jsonl("s", 1, "one", null));
        writeGz("a/0.json.gz", "{\"events\":[{\"logStreamName\":\"s\",\"timestamp\":0,\"message\":\"zero\"}]}");
        write("c/audit.log", "{\"kind\":\"Event\",\"auditID\":\"q\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}");
        write("README.md", "# not a log");
        write("generate.py", "print('hi')");
        write(".hidden.jsonl", "junk");
        LocalLogs logs = LocalLogs.open(dir);
        Read r = read(logs);
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("zero", "one", "two",
                "{\"kind\":\"Event\",\"auditID\":\"q\",\"stageTimestamp\":\"2026-01-01T00:00:00Z\"}");
        assertThat(r.report().malformed()).isZero();
        assertThat(logs.skippedFiles()).extracting(p -> p.getFileName().toString())
                .containsExactly(".hidden.jsonl", "README.md", "generate.py");
    }

    @Test
    void emptyFileGivesNothing() throws IOException {
        Read r = read(LocalLogs.open(write("empty.jsonl", "  \n\n")));
        assertThat(r.events()).isEmpty();
        assertThat(r.report().malformed()).isZero();
    }

    @Test
    void missingPathIsAClearError() {
        assertThatThrownBy(() -> LocalLogs.open(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file or directory");
    }

    @Test
    void tooLongLineIsReportedAndReadingGoesOn() throws IOException {
        String big = jsonl("s", 1, "x".repeat(5000), null);
        String text = jsonl("s", 0, "before", null) + "\n" + big + "\n" + jsonl("s", 2, "after", null) + "\n";
        Path file = write("long.jsonl", text);
        Read r = read(LocalLogs.open(file).withMaxLineBytes(1024));
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("before", "after");
        assertThat(r.report().malformedSamples()).containsExactly(file + ":2: line longer than 1024 bytes, skipped");
    }

    /**
     * A last line without a newline that ends one byte short of the read buffer (or exactly at the cap) used to
     * make the fast path look one byte past the buffer (ArrayIndexOutOfBoundsException, found by the fuzz
     * harness); each length around the cap is read or counted as too long, never thrown.
     */
    @Test
    void lastLineWithoutNewlineAroundTheLineCapIsReadOrCountedNeverThrown() throws IOException {
        int cap = 256;
        for (int length = cap - 3; length <= cap + 2; length++) {
            for (String before : List.of("", jsonl("s", T0, "first", null) + "\n")) {
                String head = jsonl("s", T0 + 1, "", null);
                String last = head.replace("\"message\":\"\"",
                        "\"message\":\"" + "x".repeat(length - head.length()) + "\"");
                assertThat(last).hasSize(length);
                Path file = write("edge-" + length + "-" + before.length() + ".jsonl", before + last);
                for (boolean fastPath : new boolean[] {true, false}) {
                    Read r = read(LocalLogs.open(file).withMaxLineBytes(cap).withFastPath(fastPath));
                    List<String> expected = new ArrayList<>(before.isEmpty() ? List.of() : List.of("first"));
                    if (length < cap) {
                        expected.add("x".repeat(length - head.length()));
                    }
                    assertThat(r.events()).as("length %d, fast path %s", length, fastPath)
                            .extracting(LogEvent::message).containsExactlyElementsOf(expected);
                    assertThat(r.report().malformed()).as("length %d", length).isEqualTo(length < cap ? 0 : 1);
                }
            }
        }
    }

    @Test
    void linesAcrossBufferBoundariesAndGrowingBuffersAreReadExactly() throws IOException {
        java.util.Random random = new java.util.Random(7);
        List<String> messages = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            int size = random.nextInt(10) == 0 ? 1_500_000 + random.nextInt(500_000) : random.nextInt(20_000);
            String m = "m" + i + "-é\"\\ü€" + "y".repeat(size);
            messages.add(m);
            sb.append(jsonl("s", i, m, null)).append('\n');
        }
        Read r = read(LocalLogs.open(writeGz("many.jsonl.gz", sb.toString())));
        assertThat(r.report().malformed()).isZero();
        assertThat(r.events()).hasSameSizeAs(messages);
        for (int i = 0; i < messages.size(); i++) {
            assertThat(r.events().get(i).message().equals(messages.get(i))).as("message %d", i).isTrue();
        }
    }

    @Test
    void readsACloudWatchLogsExportToS3NamingStreamsAfterTheirFolders() throws IOException {
        Path task = dir.resolve("exportedlogs/7d4f2c1e-task");
        Files.createDirectories(task.resolve("kube-apiserver-audit-4d51"));
        Files.createDirectories(task.resolve("authenticator-8c0c"));
        writeGz("exportedlogs/7d4f2c1e-task/kube-apiserver-audit-4d51/000000.gz",
                "2026-11-20T10:00:00.123Z " + AUDIT_MSG + "\n"
                        + "2026-11-20T10:00:01.000Z first line\n\n  second line\n"
                        + "2026-11-20T10:00:02.000Z last\n");
        writeGz("exportedlogs/7d4f2c1e-task/authenticator-8c0c/000000.gz",
                "2026-11-20T10:00:03Z time=\"2026-11-20T10:00:03Z\" level=warning msg=\"access denied\"\n");
        write("exportedlogs/7d4f2c1e-task/aws-logs-write-test", "Permission Check Successful");
        Read r = read(LocalLogs.open(dir.resolve("exportedlogs")));
        assertThat(r.events()).containsExactly(
                new LogEvent(1795168803000L, 1795168803000L,
                        "time=\"2026-11-20T10:00:03Z\" level=warning msg=\"access denied\"", "authenticator-8c0c",
                        LocalLogs.DEFAULT_LOG_GROUP, null),
                new LogEvent(1795168800123L, 1795168800123L, AUDIT_MSG, "kube-apiserver-audit-4d51",
                        LocalLogs.DEFAULT_LOG_GROUP, null),
                new LogEvent(1795168801000L, 1795168801000L, "first line\n\n  second line", "kube-apiserver-audit-4d51",
                        LocalLogs.DEFAULT_LOG_GROUP, null),
                new LogEvent(1795168802000L, 1795168802000L, "last", "kube-apiserver-audit-4d51",
                        LocalLogs.DEFAULT_LOG_GROUP, null));
        assertThat(r.report().malformed()).isZero();
    }

    @Test
    void exportFileNamedExplicitlyAndTextThatOnlyLooksLikeIt() throws IOException {
        Path file = write("kube-scheduler-bb3e/000001", "2026-11-20T10:00:00Z I1120 bound\n\n");
        assertThat(read(LocalLogs.open(file)).events()).containsExactly(new LogEvent(1795168800000L, 1795168800000L,
                "I1120 bound", "kube-scheduler-bb3e", LocalLogs.DEFAULT_LOG_GROUP, null));
        Path numbers = write("numbers.log", "2026 was a year\n12 34\n");
        Read r = read(LocalLogs.open(numbers));
        assertThat(r.events()).isEmpty();
        assertThat(r.report().malformed()).as("not an export: read as JSON lines, reported").isEqualTo(2);
    }

    @Test
    void readsAPipe() throws Exception {
        Path fifo = dir.resolve("events.pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is needed");
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write((sampleLines()).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.setDaemon(true); // never keeps the test JVM alive if the read fails before opening the pipe
        writer.start();
        Read r = read(LocalLogs.open(fifo));
        writer.join(10_000);
        assertThat(r.events()).hasSize(3);
        assertThat(r.report().malformed()).isEqualTo(2);
    }

    @Test
    void truncatedOrCorruptGzipIsReportedAndTheOtherFilesAreRead() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append(jsonl("s", i, "event number " + i + " " + "x".repeat(i % 97), null)).append('\n');
        }
        Path whole = writeGz("a/whole.jsonl.gz", sb.toString());
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = dir.resolve("a/truncated.jsonl.gz");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path corrupt = dir.resolve("a/corrupt.jsonl.gz");
        byte[] bad = bytes.clone();
        for (int i = 100; i < 200; i++) {
            bad[i] ^= 0x5a;
        }
        Files.write(corrupt, bad);
        Read r = read(LocalLogs.open(dir.resolve("a")));
        assertThat(r.report().malformedSamples()).hasSize(2);
        assertThat(r.report().malformedSamples().get(0)).startsWith(corrupt + ":0: corrupt gzip data");
        assertThat(r.report().malformedSamples().get(1)).startsWith(truncated + ":0: truncated gzip data");
        assertThat(r.events().stream().filter(e -> e.message().startsWith("event number 1999 ")).count())
                .as("the whole file is read after the broken ones").isEqualTo(1);
    }
}
