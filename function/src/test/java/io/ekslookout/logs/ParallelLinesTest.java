package io.ekslookout.logs;

import com.fasterxml.jackson.core.JsonFactory;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryContext;
import io.ekslookout.query.QueryResult;
import io.ekslookout.query.RawMessage;
import io.ekslookout.testing.ReadSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parallel JSON Lines read ({@link ParallelLines}) against the serial one, at the reader's level: with chunks
 * forced tiny (down to one byte) so that small files split into many chunks, lines cross chunk ends, lines longer
 * than a chunk and longer than the line cap, CRLF, blank lines, a BOM, a last line without '\n', malformed lines
 * of every kind: the same events, delivered in the same order at the same {@code file:line}, the same read report;
 * with a query batch as the sink, the same results and the same events ruled out or kept; a failure in a worker or
 * in the read of the file is thrown after exactly the events the serial read delivers before it.
 */
@ExtendWith(ReadSettings.class)
@Timeout(120)
class ParallelLinesTest {
    private static final Path DEMO = Path.of(System.getProperty("repo.root", "..")).resolve("samples")
            .resolve("eks-demo.jsonl.gz");

    @TempDir
    Path dir;

    /** Serial (off), or in parallel on {@code threads} workers with chunks of {@code chunk} bytes from 0 bytes up. */
    static void parallel(boolean on, int threads, int chunk) {
        System.setProperty("ekslookout.readThreads", on ? Integer.toString(threads) : "0");
        System.setProperty("ekslookout.chunkBytes", Integer.toString(Math.max(1, chunk)));
        System.setProperty("ekslookout.parallelMinBytes", "0");
    }

    /** What a read did: every event with where the source said it was while the sink had it, and the report. */
    record Transcript(List<String> calls, ReadReport report) {
    }

    private static Transcript readAll(LocalLogs logs) throws IOException {
        List<String> calls = new ArrayList<>();
        ReadReport report = logs.read(e -> calls.add(e + " @ " + logs.location()));
        return new Transcript(calls, report);
    }

    private void assertSameEitherWay(Path file, int maxLineBytes, Random r) throws IOException {
        parallel(false, 0, 0);
        Transcript serial = readAll(LocalLogs.open(file).withMaxLineBytes(maxLineBytes));
        for (int chunk : new int[] {1, 1 + r.nextInt(40), 50 + r.nextInt(500), 4096}) {
            parallel(true, 1 + r.nextInt(3), chunk);
            Transcript par = readAll(LocalLogs.open(file).withMaxLineBytes(maxLineBytes));
            assertThat(par.calls()).as("%s, chunks of %d bytes", file, chunk).isEqualTo(serial.calls());
            assertThat(par.report()).as("%s, chunks of %d bytes", file, chunk).isEqualTo(serial.report());
        }
    }

    @Test
    void randomLinesReadExactlyAsSerially() throws IOException {
        Random r = new Random(11);
        for (int round = 0; round < 30; round++) {
            StringBuilder text = new StringBuilder(round % 5 == 0 ? "\uFEFF" : "");
            for (int i = 0; i < 120; i++) {
                String line = FastPathEquivalenceTest.randomLine(r);
                if (r.nextInt(15) == 0) { // longer than any chunk, sometimes than the line cap
                    line = line.replace("\"message\":\"", "\"message\":\"" + "x".repeat(r.nextInt(1200)));
                }
                text.append(line).append(r.nextInt(8) == 0 ? "\r\n" : "\n");
                if (r.nextInt(20) == 0) {
                    text.append(r.nextBoolean() ? "\n" : "  \t\r\n");
                }
            }
            if (r.nextBoolean()) {
                text.setLength(text.length() - 1); // no newline at the end
            }
            Path file = dir.resolve("r" + round + ".jsonl");
            Files.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
            assertSameEitherWay(file, round % 3 == 0 ? JsonLinesReader.DEFAULT_MAX_LINE_BYTES : 256 << r.nextInt(3),
                    r);
        }
    }

    @Test
    void aLineAtTheCapIsTooLongWhereverItIs() throws IOException {
        String ok = "{\"logStreamName\":\"s\",\"timestamp\":1795161600000,\"message\":\"m\"}";
        int cap = 128;
        for (int len = cap - 3; len <= cap + 2; len++) { // lines around the cap, CR or not, at the end or not
            String longLine = "{\"logStreamName\":\"s\",\"timestamp\":1795161600000,\"message\":\"" + "y".repeat(
                    len - ok.length() + 1) + "\"}";
            for (String end : new String[] {"\n", "\r\n", ""}) {
                Path file = dir.resolve("cap" + len + end.length() + ".jsonl");
                Files.writeString(file, ok + "\n" + longLine + end + (end.isEmpty() ? "" : ok + "\n" + longLine + end));
                assertSameEitherWay(file, cap, new Random(len));
            }
        }
    }

    @Test
    void endlessLineIsSkippedWithoutBufferingIt() throws IOException {
        Path file = dir.resolve("endless.jsonl");
        String ok = "{\"logStreamName\":\"s\",\"timestamp\":1795161600000,\"message\":\"m\"}\n";
        Files.writeString(file, ok + "[" + "1,".repeat(300_000) + "\n" + ok + "\n" + "{".repeat(100_000));
        assertSameEitherWay(file, 1 << 12, new Random(3));
        parallel(true, 2, 1000);
        Transcript t = readAll(LocalLogs.open(file).withMaxLineBytes(1 << 12));
        assertThat(t.report().skippedByReason()).containsEntry("too long", 2L);
        assertThat(t.report().malformedSamples()).containsExactly(
                file + ":2: line longer than 4096 bytes, skipped", file + ":5: line longer than 4096 bytes, skipped");
    }

    @Test
    void manyMalformedLinesAreCountedAndTheFirstTenDescribed() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            text.append(i % 7 == 0 ? "{\"logStreamName\":\"s\",\"timestamp\":1795161600000,\"message\":\"m" + i + "\"}"
                    : i % 3 == 0 ? "[" + i + "]" : "{bad " + i).append('\n');
        }
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, text);
        assertSameEitherWay(file, 1 << 20, new Random(5));
    }

    // ------------------------------------------------------------------ with a query batch as the sink

    private static final List<String> QUERIES = List.of(
            "filter @logStream like /^authenticator/ | filter @message like \"access denied\" | fields @timestamp, @ptr",
            "filter @logStream like /^kube-apiserver-audit/ | filter objectRef.resource = \"configmaps\" and "
                    + "objectRef.name = \"aws-auth\" | fields @timestamp, verb, @ptr",
            "filter objectRef.namespace = \"kube-system\" | stats count(*) by verb, @logStream",
            "filter @ptr like /local-1/ and @message like \"kube\" | fields @ptr",
            "fields @timestamp, @message | sort @timestamp asc | limit 20");

    /** Runs one query as the CLI does (a window, the raw skip both ways) and notes each event the sink handles. */
    private static Transcript runQuery(Path file, String text, long start, long end, List<String> calls,
                                       List<QueryResult> result) throws IOException {
        LocalLogs source = LocalLogs.open(file);
        Query.Execution execution = Query.parse(text).start(new QueryContext(start, end, Instant.EPOCH,
                "000000000000", LocalLogs.DEFAULT_LOG_GROUP));
        RawEventSink cli = RawEventSink.of(execution, source::location); // what the query command reads into
        ReadReport report = source.read(new RawEventSink() {
            @Override
            public void accept(LogEvent event) {
                calls.add(event.timestamp() + " " + event.logStream() + " @ " + source.location());
                cli.accept(event);
            }

            @Override
            public boolean wantsUnread() {
                return cli.wantsUnread();
            }

            @Override
            public boolean skipsUnread(long timestamp, long ingestionTime, String logStream, String group,
                                       RawMessage message) {
                boolean skip = cli.skipsUnread(timestamp, ingestionTime, logStream, group, message);
                if (skip) {
                    calls.add(timestamp + " " + logStream + " @ " + source.location());
                }
                return skip;
            }

            @Override
            public UnreadCheck unreadCheck() {
                return cli.unreadCheck();
            }

            @Override
            public void skipUnread(long timestamp, long ingestionTime, String logStream, String group,
                                   int messageLength) {
                calls.add(timestamp + " " + logStream + " @ " + source.location());
                cli.skipUnread(timestamp, ingestionTime, logStream, group, messageLength);
            }
        });
        result.add(execution.finish());
        return new Transcript(calls, report);
    }

    @Test
    void queriesOverTheSampleGiveTheSameResultsAndSeeTheSameEvents() throws IOException {
        Path file = dir.resolve("demo.jsonl");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DEMO))) {
            Files.write(file, in.readAllBytes());
        }
        Path noIds = dir.resolve("no-ids.jsonl"); // @ptr is then local-<seq>, which the workers cannot know
        Files.writeString(noIds, Files.readString(file).replaceAll(",\"eventId\":\"[^\"]*\"", ""));
        List<LogEvent> all = new ArrayList<>();
        parallel(false, 0, 0);
        LocalLogs.open(file).read(all::add);
        long mid = all.get(all.size() / 2).timestamp();
        Random r = new Random(7);
        for (Path f : List.of(file, noIds)) {
        for (String q : QUERIES) {
            for (long[] window : new long[][] {{Long.MIN_VALUE, Long.MAX_VALUE}, {mid - 600_000, mid + 600_000}}) {
                parallel(false, 0, 0);
                List<QueryResult> serialResult = new ArrayList<>();
                Transcript serial = runQuery(f, q, window[0], window[1], new ArrayList<>(), serialResult);
                parallel(true, 1 + r.nextInt(3), 1 + r.nextInt(20_000));
                List<QueryResult> parResult = new ArrayList<>();
                Transcript par = runQuery(f, q, window[0], window[1], new ArrayList<>(), parResult);
                assertThat(parResult).as(q).isEqualTo(serialResult);
                assertThat(par).as(q).isEqualTo(serial);
                assertThat(serial.calls()).hasSize((int) serial.report().events());
                if (f == noIds && q.contains("@ptr like")) {
                    assertThat(serialResult.get(0).rows()).as(q).isNotEmpty();
                }
            }
        }
        }
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aFailureInAWorkerIsThrownAfterTheEventsBeforeIt() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append("{\"logStreamName\":\"s\",\"timestamp\":").append(1795161600000L + i)
                    .append(",\"message\":\"m").append(i).append("\"}\n");
        }
        Path file = dir.resolve("fail.jsonl");
        Files.writeString(file, text);
        for (boolean on : new boolean[] {false, true}) {
            parallel(on, 2, 100);
            List<String> seen = new ArrayList<>();
            LocalLogs logs = LocalLogs.open(file);
            assertThatThrownBy(() -> logs.read(new RawEventSink() {
                @Override
                public void accept(LogEvent event) {
                    seen.add(event.message() + " @ " + logs.location());
                }

                @Override
                public boolean wantsUnread() {
                    return true;
                }

                @Override
                public boolean skipsUnread(long ts, long ingestionTime, String logStream, String logGroup,
                                           RawMessage message) {
                    if (!check(ts)) {
                        return false;
                    }
                    skipUnread(ts, ingestionTime, logStream, logGroup, message.length());
                    return true;
                }

                @Override
                public UnreadCheck unreadCheck() {
                    return new UnreadCheck() {
                        @Override
                        public boolean active() {
                            return true;
                        }

                        @Override
                        public boolean rulesOut(long ts, long ingestionTime, String logStream, String logGroup,
                                                RawMessage message) {
                            return check(ts);
                        }
                    };
                }

                @Override
                public void skipUnread(long ts, long ingestionTime, String logStream, String logGroup,
                                       int messageLength) {
                    seen.add("skipped " + ts + " @ " + logs.location());
                }

                private boolean check(long ts) {
                    if (ts == 1795161600000L + 217) {
                        throw new IllegalStateException("boom at 217");
                    }
                    return ts % 2 == 0;
                }
            })).as("parallel %s", on).isInstanceOf(IllegalStateException.class).hasMessage("boom at 217");
            assertThat(seen).as("parallel %s", on).hasSize(217);
            assertThat(seen.get(216)).isEqualTo("skipped " + (1795161600000L + 216) + " @ " + file + ":217");
            assertThat(seen.get(215)).isEqualTo("m215 @ " + file + ":216");
        }
    }

    /** A stream that fails after {@code failAt} bytes. */
    private static InputStream failingAfter(byte[] bytes, int failAt) {
        return new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(bytes, 0, failAt);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, Math.min(len, 97));
                if (n < 0) {
                    throw new IOException("disk on fire");
                }
                return n;
            }
        };
    }

    @Test
    void aFailedReadOfTheFileDeliversTheWholeLinesBeforeItThenThrows() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("{\"logStreamName\":\"s\",\"timestamp\":1795161600000,\"message\":\"m").append(i)
                    .append("\"}\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        JsonFactory factory = new JsonFactory();
        for (int failAt : new int[] {0, 10, 1234, bytes.length / 2, bytes.length - 1}) {
            List<String> serial = new ArrayList<>();
            assertThatThrownBy(() -> new JsonLinesReader(factory, 1 << 20, true).read(failingAfter(bytes, failAt),
                    "f", "g", e -> serial.add(e.message()), new ReadTally())).hasMessage("disk on fire");
            for (int chunk : new int[] {1, 100, 1000, 1 << 20}) {
                List<String> par = new ArrayList<>();
                ParallelLines p = new ParallelLines(factory, 1 << 20, true, new ParallelLines.Settings(2, 0, chunk, 1 + chunk % 5));
                assertThatThrownBy(() -> p.read(failingAfter(bytes, failAt), "f", "g", e -> par.add(e.message()),
                        new ReadTally())).hasMessage("disk on fire");
                assertThat(par).as("fails at %d, chunks of %d", failAt, chunk).isEqualTo(serial);
            }
        }
    }

    // ------------------------------------------------------------------ chunk boundaries

    @Test
    void chunksAreWholeLinesThatAddUpToTheInput() throws IOException {
        Random r = new Random(17);
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int lines = r.nextInt(30);
            for (int i = 0; i < lines; i++) {
                int len = r.nextInt(10) == 0 ? r.nextInt(400) : r.nextInt(30);
                for (int k = 0; k < len; k++) {
                    text.write("ab \r{}".charAt(r.nextInt(6)));
                }
                if (i < lines - 1 || r.nextBoolean()) {
                    text.write('\n');
                }
            }
            byte[] input = text.toByteArray();
            int chunkBytes = 1 + r.nextInt(100);
            int maxLine = 16 + r.nextInt(300);
            ParallelLines.Splitter split = new ParallelLines.Splitter(new ByteArrayInputStream(input), chunkBytes,
                    maxLine, new ConcurrentLinkedQueue<>());
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            long at = 0;
            long newlines = 0;
            ParallelLines.Chunk c;
            List<ParallelLines.Chunk> chunks = new ArrayList<>();
            while ((c = split.next()) != null) {
                chunks.add(c);
            }
            for (int k = 0; k < chunks.size(); k++) {
                c = chunks.get(k);
                String where = "round " + round + " chunk " + k + " at " + at;
                assertThat(at == 0 || input[(int) at - 1] == '\n').as(where + ": starts a line").isTrue();
                if (c.buf == null) { // a line at the cap, skipped: no '\n' in its first maxLine bytes
                    assertThat(c.bytes).as(where).isGreaterThanOrEqualTo(maxLine);
                    for (long i = at; i < at + maxLine; i++) {
                        assertThat(input[(int) i]).as(where).isNotEqualTo((byte) '\n');
                    }
                    joined.write(input, (int) at, (int) c.bytes);
                    newlines += c.lineCount;
                } else {
                    assertThat((long) c.len).isEqualTo(c.bytes);
                    if (k < chunks.size() - 1) {
                        assertThat(c.buf[c.len - 1]).as(where + ": ends a line").isEqualTo((byte) '\n');
                    }
                    joined.write(c.buf, 0, c.len);
                }
                at += c.bytes;
            }
            assertThat(joined.toByteArray()).as("round %d", round).isEqualTo(input);
            assertThat(newlines).isLessThanOrEqualTo(input.length);
        }
    }
}
