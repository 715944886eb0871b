package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit shapes other tools hand over: a Kubernetes {@code EventList} on one line (what an audit webhook
 * receives), and pretty-printed JSON over many lines (one Event, several concatenated, or an EventList, as
 * {@code jq .} or {@code kubectl -o json} print them). Each item is one audit event; every item or document that
 * is not one is counted with its file:line and reason.
 */
class AuditInputShapesTest {
    @TempDir
    Path dir;

    private static final String E1 = "{\"auditID\":\"a1\",\"stage\":\"ResponseComplete\",\"verb\":\"create\","
            + "\"objectRef\":{\"resource\":\"clusterrolebindings\",\"name\":\"x\"},"
            + "\"requestObject\":{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"}},"
            + "\"stageTimestamp\":\"2026-11-20T10:00:01.000000Z\"}";
    private static final String E2 = "{\"kind\":\"Event\",\"auditID\":\"a2\",\"stage\":\"ResponseStarted\","
            + "\"verb\":\"create\",\"user\":{\"username\":\"café\"},\"stageTimestamp\":\"2026-11-20T10:00:02.5Z\"}";
    private static final String CW = "{\"logStreamName\":\"authenticator-1\",\"timestamp\":1795644000000,"
            + "\"message\":\"hello\"}";

    private record Read(List<LogEvent> events, ReadReport report) {
    }

    private Read read(Path file, boolean fastPath) throws IOException {
        List<LogEvent> events = new ArrayList<>();
        ReadReport report = LocalLogs.open(file).withFastPath(fastPath).read(events::add);
        return new Read(events, report);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void eventListLineGivesOneAuditEventPerItemWithItsOwnTextAndReportsBadItems() throws IOException {
        String list = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
                + E1 + ", 42," + E2 + ",{\"kind\":\"Event\",\"auditID\":\"a3\"}]}";
        Path file = write("webhook.jsonl", CW + "\n" + list + "\n" + E1 + "\n");
        for (boolean fast : new boolean[] {true, false}) {
            Read r = read(file, fast);
            assertThat(r.events()).extracting(LogEvent::message).containsExactly("hello", E1, E2, E1);
            assertThat(r.events()).extracting(LogEvent::logStream).containsExactly("authenticator-1",
                    "kube-apiserver-audit", "kube-apiserver-audit", "kube-apiserver-audit");
            assertThat(r.events().get(2).timestamp()).isEqualTo(ms("2026-11-20T10:00:02.500Z"));
            assertThat(r.report().malformedSamples()).containsExactly(
                    file + ":2: EventList item 2: expected an audit event object, found a number",
                    file + ":2: EventList item 4: audit event without \"stageTimestamp\"");
            assertThat(r.report().malformed()).isEqualTo(2);
        }
    }

    @Test
    void emptyEventListIsNoEventAndAListWithoutItemsIsReported() throws IOException {
        Path file = write("lists.jsonl", "{\"kind\":\"EventList\",\"items\":[]}\n{\"kind\":\"EventList\"}\n");
        Read r = read(file, true);
        assertThat(r.events()).isEmpty();
        assertThat(r.report().malformedSamples()).containsExactly(file + ":2: neither a CloudWatch Logs event"
                + " (logStreamName, timestamp, message) nor a Kubernetes audit event (stageTimestamp)");
    }

    /** What jq . prints for one compact object (two-space indent, "key": value). */
    private static String pretty(String compact) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(compact.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    depth++;
                    out.append(c).append('\n').append("  ".repeat(depth));
                }
                case '}', ']' -> {
                    depth--;
                    out.append('\n').append("  ".repeat(depth)).append(c);
                }
                case ',' -> out.append(",\n").append("  ".repeat(depth));
                case ':' -> out.append(": ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void prettyPrintedEventIsReadCompactedAsTheApiServerWritesIt() throws IOException {
        Path file = write("event.json", pretty(E1) + "\n");
        assertThat(Files.readString(file)).startsWith("{\n  \"auditID\": \"a1\",");
        Read r = read(file, true);
        assertThat(r.report().malformedSamples()).isEmpty();
        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo(E1); // rules matching "roleRef":{ see the CloudWatch text
            assertThat(e.logStream()).isEqualTo("kube-apiserver-audit");
            assertThat(e.timestamp()).isEqualTo(ms("2026-11-20T10:00:01Z"));
        });
    }

    @Test
    void prettyPrintedConcatenationMixesEventsListsAndReportsEachProblemAtItsLine() throws IOException {
        String list = "{\"kind\":\"EventList\",\"items\":[" + E2 + ",{\"auditID\":\"a9\"}]}";
        String text = pretty(E1) + "\n" + pretty(list) + "\n\"a string\"\n" + pretty(CW) + "\n";
        Path file = write("dump.json", text);
        long listLine = pretty(E1).lines().count() + 1;
        long stringLine = listLine + pretty(list).lines().count();
        Read r = read(file, true);
        assertThat(r.events()).extracting(LogEvent::message).containsExactly(E1, E2, "hello");
        assertThat(r.report().malformedSamples()).containsExactly(
                file + ":" + listLine + ": EventList item 2: audit event without \"stageTimestamp\"",
                file + ":" + stringLine + ": expected a JSON object, found a string");
    }

    @Test
    void brokenPrettyPrintedFileKeepsWhatCameBeforeAndSaysWhereItBroke() throws IOException {
        Path file = write("broken.json", pretty(E1) + "\n{\n  \"auditID\": \"a2\",\n  \"verb\": \n}\n" + pretty(E2));
        Read r = read(file, true);
        assertThat(r.events()).extracting(LogEvent::message).containsExactly(E1);
        assertThat(r.report().malformed()).isEqualTo(1);
        assertThat(r.report().malformedSamples().get(0))
                .startsWith(file + ":" + (pretty(E1).lines().count() + 4) + ": invalid JSON: ")
                .endsWith("; the rest of this file was not read");
    }

    @Test
    void aJsonLinesFileWhoseFirstLineIsCutStaysLineByLine() throws IOException {
        Path file = write("cut.jsonl", "{\"logStreamName\":\n" + CW + "\n");
        Read r = read(file, true);
        assertThat(r.events()).extracting(LogEvent::message).containsExactly("hello");
        assertThat(r.report().malformed()).isEqualTo(1);
        assertThat(r.report().malformedSamples().get(0)).startsWith(file + ":1: invalid JSON");
    }

    @Test
    void detectsPrettyOnlyWhenTheOpeningBraceEndsItsLine() {
        assertThat(LocalLogs.opensMultiLineObject("{\n".getBytes(StandardCharsets.US_ASCII), 0)).isTrue();
        assertThat(LocalLogs.opensMultiLineObject("{ \t\r\n  \"a\"".getBytes(StandardCharsets.US_ASCII), 0)).isTrue();
        assertThat(LocalLogs.opensMultiLineObject("{\"a\":1}\n".getBytes(StandardCharsets.US_ASCII), 0)).isFalse();
        assertThat(LocalLogs.opensMultiLineObject("{   ".getBytes(StandardCharsets.US_ASCII), 0)).isFalse();
    }
}
