package io.ekslookout.query;

import io.ekslookout.logs.LocalLogs;
import io.ekslookout.testing.CliRun;
import io.ekslookout.testing.ReadSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test of the parallel read of big JSON Lines files ({@code io.ekslookout.logs.ParallelLines}): the
 * whole CLI, {@code scan} with every bundled rule (table and JSON), {@code query} with single filters (with and
 * without a time window), {@code hunt}, each with {@code --report} and {@code --strict}, prints the same (exit code,
 * findings or rows, summary and read report with its malformed lines) serially and in parallel with chunks forced
 * tiny (so these small files split into hundreds of chunks and most lines cross a chunk's end), with and without
 * the raw skip: over the bundled corpus uncompressed, with escapes, with truncated and malformed lines, and with
 * long lines, CRLF, blank lines, a BOM and no newline at the end.
 */
@ExtendWith(ReadSettings.class)
@Timeout(600)
class ParallelReadEquivalenceTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    private static final Path DEMO = ROOT.resolve("samples").resolve("eks-demo.jsonl.gz");
    private static final String W = "[\"create\", \"update\", \"patch\", \"delete\"]";
    private static final List<String> QUERIES = List.of(
            "filter @logStream like /^kube-apiserver-audit/ | filter objectRef.resource = \"configmaps\" and "
                    + "objectRef.name = \"aws-auth\" and verb in " + W + " | fields @timestamp, user.username, verb",
            "filter @logStream like /^authenticator/ | filter @message like \"access denied\" | fields @timestamp, @message",
            "filter objectRef.namespace = \"kube-system\" and verb in " + W + " | stats count(*) by verb, @logStream",
            "filter @logStream like /^kube-apiserver-audit/ | filter responseStatus.code >= 500 | fields requestURI",
            "filter @ptr like /16[0-4]/ and @logStream like /^kube-apiserver-audit/ | filter verb = \"create\" "
                    + "| stats count(*) as n by @ptr",
            "fields @timestamp, @ptr, @message | sort @timestamp asc | limit 30");
    private static List<LogEvent> sample;
    private static String plain;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        sample = new ArrayList<>();
        LocalLogs.open(DEMO).read(sample::add);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DEMO))) {
            plain = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void restoreRawSkip() {
        QueryBatch.rawSkip = true;
    }

    /** One CLI run, serial or parallel (3 workers, chunks of {@code chunk} bytes, from files of 0 bytes up). */
    private static CliRun run(boolean parallel, int chunk, boolean rawSkip, String... args) {
        System.setProperty("ekslookout.readThreads", parallel ? "3" : "0");
        System.setProperty("ekslookout.chunkBytes", Integer.toString(chunk));
        System.setProperty("ekslookout.parallelMinBytes", "0");
        QueryBatch.rawSkip = rawSkip;
        try {
            return CliRun.of(args);
        } finally {
            QueryBatch.rawSkip = true;
        }
    }

    private void assertSameBothWays(Path logs) throws Exception {
        String f = logs.toString();
        long mid = sample.get(sample.size() / 2).timestamp();
        String since = Instant.ofEpochMilli(mid - 900_000).toString();
        String until = Instant.ofEpochMilli(mid + 900_000).toString();
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"scan", "--logs", f});
        runs.add(new String[] {"scan", "--logs", f, "--format", "json", "--since", since, "--until", until});
        for (String q : QUERIES) {
            runs.add(new String[] {"query", "--logs", f, q});
        }
        runs.add(new String[] {"query", "--logs", f, "--since", since, "--until", until, "--format", "json",
                QUERIES.get(2)});
        runs.add(new String[] {"hunt", "response-codes", "--logs", f});
        runs.add(new String[] {"hunt", "requests-by-user", "--param", "username=kubernetes-admin", "--logs", f});
        Random r = new Random(logs.getFileName().hashCode());
        long lines = 0;
        for (String[] base : runs) {
            for (boolean rawSkip : new boolean[] {true, false}) {
                String[] args = withReport(base, "--strict");
                CliRun serial = run(false, 0, rawSkip, args);
                String serialReport = Files.readString(dir.resolve("report.json"));
                int chunk = r.nextBoolean() ? 1 + r.nextInt(64) : 64 + r.nextInt(8192);
                CliRun par = run(true, chunk, rawSkip, args);
                String parReport = Files.readString(dir.resolve("report.json"));
                String what = String.join(" ", args) + " (chunks of " + chunk + " bytes, raw skip " + rawSkip + ")";
                assertThat(par.code()).as("exit code: " + what + "\n" + par.err()).isEqualTo(serial.code());
                assertThat(par.out()).as("output: " + what).isEqualTo(serial.out());
                assertThat(mask(par.err())).as("summary: " + what).isEqualTo(mask(serial.err()));
                assertThat(mask(parReport)).as("report: " + what).isEqualTo(mask(serialReport));
                lines += serial.out().lines().count();
            }
        }
        assertThat(lines).as("the runs print rows and findings").isGreaterThan(runs.size());
    }

    /** The run's arguments with --report FILE (and {@code more}); hunt has no --report. */
    private String[] withReport(String[] args, String... more) {
        List<String> out = new ArrayList<>(List.of(args));
        if (!args[0].equals("hunt")) {
            out.add("--report");
            out.add(dir.resolve("report.json").toString());
            out.addAll(List.of(more));
        } else {
            try {
                Files.writeString(dir.resolve("report.json"), "");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out.toArray(new String[0]);
    }

    /** Durations differ from run to run. */
    private static String mask(String s) {
        return s.replaceAll("\\d+(\\.\\d+)? ?(ms|s)\\b", "T").replaceAll("\"(took|durationMs|seconds)\"\\s*:\\s*[0-9.]+",
                "\"$1\":T");
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void bundledCorpus() throws Exception {
        assertSameBothWays(write("demo.jsonl", plain));
    }

    @Test
    void escapesInMessagesAndLines() throws Exception {
        Random r = new Random(5);
        StringBuilder text = new StringBuilder();
        for (LogEvent e : sample) {
            String m = e.message();
            if (m.startsWith("{") && r.nextInt(3) == 0) {
                m = ShortcutEquivalenceTest.escapeSome(m, r);
            }
            String line = RawSkipEquivalenceTest.line(e, m);
            int k = r.nextInt(6);
            if (k == 0) {
                line = line.replace("/", "\\/");
            } else if (k == 1) {
                line = line.replace("audit", "\\u0061udit");
            }
            text.append(line).append('\n');
        }
        assertSameBothWays(write("escaped.jsonl", text.toString()));
    }

    @Test
    void truncatedMalformedLongCrlfBlankBomAndNoFinalNewline() throws Exception {
        Random r = new Random(13);
        StringBuilder text = new StringBuilder("\uFEFF");
        for (LogEvent e : sample) {
            String m = e.message();
            if (m.length() > 2 && r.nextInt(4) == 0) {
                m = m.substring(0, 1 + r.nextInt(m.length() - 1));
            }
            if (r.nextInt(200) == 0) {
                m = m + " " + "padding ".repeat(2000 + r.nextInt(4000)); // longer than any chunk
            }
            String line = RawSkipEquivalenceTest.line(e, m);
            switch (r.nextInt(40)) {
                case 0 -> line = line.substring(0, line.length() / 2); // a cut line: invalid JSON
                case 1 -> line = line.replace("\\\"", "\\x"); // an invalid escape
                case 2 -> line = line.replace("kube", "kubé"); // non-ASCII: the slow path
                case 3 -> text.append('\n');
                case 4 -> line = line.replace("\"timestamp\"", "\"time\""); // not an event
                case 5 -> text.append(" \t\r\n");
                default -> {
                }
            }
            text.append(line).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
        }
        text.setLength(text.length() - (text.charAt(text.length() - 2) == '\r' ? 2 : 1));
        Path logs = write("broken.jsonl", text.toString());
        CliRun serial = run(false, 0, true, "scan", "--logs", logs.toString());
        assertThat(serial.out() + serial.err()).as("malformed lines are reported").contains("malformed lines: ")
                .doesNotContain("malformed lines: 0");
        assertSameBothWays(logs);
    }
}
