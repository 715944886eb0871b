package io.ekslookout.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.testing.CliRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test of the raw skip ({@link QueryBatch#skipsUnread}: the JSON Lines fast path offers each event
 * with its message undecoded and decodes it only when a query may keep it): the whole CLI, {@code scan} over the
 * bundled rules and {@code query} with single filters, prints the same (exit code, findings or rows, read report
 * with its malformed lines) with the raw skip on and off, over the bundled corpus, the corpus with escapes inside
 * messages and in the lines themselves ({@code \/}, {@code \}{@code u0061}), and truncated messages, cut lines, bad escapes,
 * non-ASCII and blank lines.
 */
class RawSkipEquivalenceTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    private static final Path DEMO = ROOT.resolve("samples").resolve("eks-demo.jsonl.gz");
    private static final String W = "[\"create\", \"update\", \"patch\", \"delete\"]";
    private static final List<String> QUERIES = List.of(
            "filter @logStream like /^kube-apiserver-audit/ | filter objectRef.resource = \"configmaps\" and "
                    + "objectRef.name = \"aws-auth\" and verb in " + W + " | fields @timestamp, user.username, verb",
            "filter @logStream like /^authenticator/ | filter @message like \"access denied\" | fields @timestamp, @message",
            "filter @message like 'msg=\"access denied\"' | fields @timestamp, @ptr",
            "filter objectRef.namespace = \"kube-system\" and verb in " + W + " | stats count(*) by verb, @logStream",
            "filter ispresent(requestObject.spec.containers.0.securityContext.privileged) | fields @ptr, requestURI",
            "filter @logStream like /^kube-apiserver-audit/ | filter responseStatus.code >= 500 | fields requestURI",
            "filter responseStatus.code >= 200 and responseStatus.code < 300 and verb = \"create\" | stats count(*)",
            "filter responseStatus.code in [403, 404] or responseStatus.code = 503 | stats count(*) by verb",
            // @ptr in a filter: an undecoded event's id is not built, so such a check lets the event through
            "filter @ptr like /16[0-4]/ and @logStream like /^kube-apiserver-audit/ | filter verb = \"create\" "
                    + "| stats count(*) as n by @ptr",
            // literals beyond ASCII: never ruled out on a message holding UTF-8 beyond ASCII
            "filter @message like \"µs\" or @message like \"kübectl\" | stats count(*) as n by @logStream",
            "filter userAgent like \"kübectl\" and verb in " + W + " | fields @timestamp, verb, userAgent");
    private static List<LogEvent> sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        sample = new ArrayList<>();
        LocalLogs.open(DEMO).read(sample::add);
    }

    @AfterEach
    void rawSkipBackOn() {
        QueryBatch.rawSkip = true;
    }

    private static CliRun run(boolean rawSkip, String... args) {
        QueryBatch.rawSkip = rawSkip;
        try {
            return CliRun.of(args);
        } finally {
            QueryBatch.rawSkip = true;
        }
    }

    private static void assertSameBothWays(Path logs) {
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"scan", "--logs", logs.toString()});
        for (String q : QUERIES) {
            runs.add(new String[] {"query", "--logs", logs.toString(), q});
        }
        long lines = 0;
        for (String[] args : runs) {
            CliRun on = run(true, args);
            CliRun off = run(false, args);
            assertThat(on.code()).as("exit code: " + String.join(" ", args) + "\n" + on.err()).isEqualTo(off.code());
            assertThat(on.out()).as("output: " + String.join(" ", args)).isEqualTo(off.out());
            assertThat(mask(on.err())).as("report: " + String.join(" ", args)).isEqualTo(mask(off.err()));
            lines += on.out().lines().count();
        }
        assertThat(lines).as("the runs print rows and findings").isGreaterThan(runs.size());
    }

    /** Durations differ from run to run. */
    private static String mask(String s) {
        return s.replaceAll("\\d+(\\.\\d+)? ?(ms|s)\\b", "T");
    }

    @Test
    void bundledCorpus() {
        assertSameBothWays(DEMO);
    }

    @Test
    void escapesInMessagesAndLines() throws Exception {
        Random r = new Random(5);
        List<String> lines = new ArrayList<>();
        for (LogEvent e : sample) {
            String m = e.message();
            if (m.startsWith("{") && r.nextInt(3) == 0) {
                m = ShortcutEquivalenceTest.escapeSome(m, r);
            }
            String line = line(e, m);
            int k = r.nextInt(6);
            if (k == 0) {
                line = line.replace("/", "\\/"); // the line's own escapes: '/' is never inside an escape here
            } else if (k == 1) {
                line = line.replace("audit", "\\u0061udit");
            }
            lines.add(line);
        }
        assertSameBothWays(write("escaped.jsonl", lines));
    }

    /** UTF-8 beyond ASCII in messages (a Go duration's µ, an accented user agent, an emoji), as their bytes. */
    @Test
    void beyondAscii() throws Exception {
        Random r = new Random(23);
        List<String> lines = new ArrayList<>();
        for (LogEvent e : sample) {
            String m = e.message();
            int k = r.nextInt(4);
            if (k == 0) {
                m = m.replace("kubectl/", "kübectl/");
            } else if (k == 1 && !m.startsWith("{")) {
                m = m + " duration=\"48.97µs\" 😀";
            }
            lines.add(line(e, m));
        }
        assertSameBothWays(write("beyond-ascii.jsonl", lines));
    }

    @Test
    void numbersRespelled() throws Exception {
        Random r = new Random(17);
        List<String> lines = new ArrayList<>();
        for (LogEvent e : sample) {
            String line = line(e, ShortcutEquivalenceTest.respellNumbers(e.message(), r));
            if (r.nextInt(8) == 0) {
                line = line.replace("code", "cod\\u0065"); // the line's own escape inside the key
            }
            lines.add(line);
        }
        assertSameBothWays(write("numbers.jsonl", lines));
    }

    @Test
    void truncatedAndMalformed() throws Exception {
        Random r = new Random(13);
        List<String> lines = new ArrayList<>();
        for (LogEvent e : sample) {
            String m = e.message();
            if (m.length() > 2 && r.nextInt(4) == 0) {
                m = m.substring(0, 1 + r.nextInt(m.length() - 1));
            }
            String line = line(e, m);
            switch (r.nextInt(40)) {
                case 0 -> line = line.substring(0, line.length() / 2); // a cut line: invalid JSON
                case 1 -> line = line.replace("\\\"", "\\x"); // an invalid escape
                case 2 -> line = line.replace("kube", "kubé"); // non-ASCII: the slow path
                case 3 -> lines.add("");
                case 4 -> line = line.replace("\"timestamp\"", "\"time\""); // not an event
                default -> {
                }
            }
            lines.add(line);
        }
        Path logs = write("truncated.jsonl", lines);
        CliRun on = run(true, "scan", "--logs", logs.toString());
        assertThat(on.out() + on.err()).as("malformed lines are reported").contains("malformed lines: ").doesNotContain("malformed lines: 0");
        assertSameBothWays(logs);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static String line(LogEvent e, String message) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        o.put("logStreamName", e.logStream());
        o.put("timestamp", e.timestamp());
        o.put("message", message);
        o.put("ingestionTime", e.ingestionTime());
        if (e.eventId() != null) {
            o.put("eventId", e.eventId());
        }
        return JSON.writeValueAsString(o);
    }

    private Path write(String name, List<String> lines) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }
}
