package io.ekslookout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The query command: output formats, time window, malformed lines, errors and exit codes. */
class QueryCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path logs() throws IOException {
        Path p = dir.resolve("e.jsonl");
        Files.writeString(p, "{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":\"m\"}\n");
        return p;
    }

    @Test
    void queryErrorIsLocatedWithACaretAndExitCode2() throws IOException {
        Run r = run("query", "--logs", logs().toString(), "fields @timestamp\n| filter (verb = \"get\"");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: ").contains("^").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err()).containsPattern("\\d+:\\d+: ");
    }

    @Test
    void withLocalLogsLogGroupStillNamesTheirGroup() throws IOException {
        Path logs = logs();
        Run named = run("query", "--logs", logs.toString(), "--log-group", "/aws/eks/mine/cluster",
                "fields @log | limit 1", "--format", "csv");
        assertThat(named.code()).as(named.err()).isZero();
        assertThat(named.out()).contains(":/aws/eks/mine/cluster");
        Run plain = run("query", "--logs", logs.toString(), "fields @log | limit 1", "--format", "csv");
        assertThat(plain.out()).contains(":/aws/eks/local/cluster");
        Run both = run("query", "--logs", logs.toString(), "--cluster", "a", "fields @log");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give --logs or --cluster/--log-group, not both");
    }

    @Test
    void usageErrorsExitWith2() throws IOException {
        Path logs = logs();
        assertThat(run("query", "fields @message").code()).isEqualTo(2); // no --logs
        Run badSince = run("query", "--logs", logs.toString(), "--since", "yesterday", "fields @message");
        assertThat(badSince.code()).isEqualTo(2);
        assertThat(badSince.err()).contains("cannot read time 'yesterday'");
        Run badFormat = run("query", "--logs", logs.toString(), "--format", "xml", "fields @message");
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("unknown format 'xml'");
        Run missing = run("query", "--logs", dir.resolve("nope").toString(), "fields @message");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory");
        Run noQuery = run("query", "--logs", logs.toString());
        assertThat(noQuery.code()).isEqualTo(2);
        assertThat(noQuery.err()).contains("missing the query");
        Run reversed = run("query", "--logs", logs.toString(), "--since", "1h", "--until", "2h", "fields @message");
        assertThat(reversed.code()).isEqualTo(2);
        assertThat(reversed.err()).contains("--since must be before --until");
        Run noFile = run("query", "--logs", logs.toString(), "-f", logs.resolveSibling("nope.txt").toString());
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err()).isEqualTo("error: --query-file: no such file: " + logs.resolveSibling("nope.txt")
                + System.lineSeparator());
    }

    @Test
    void helpListsTheCommand() {
        Run r = run("query", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--logs=PATH").contains("--format=F").contains("--since=T");
        Run top = run();
        assertThat(top.out()).contains("query");
    }

    private static String audit(String ts, String verb, String user, int code, String uri) {
        String m = "{\\\"kind\\\":\\\"Event\\\",\\\"verb\\\":\\\"" + verb
                + "\\\",\\\"requestURI\\\":\\\"" + uri + "\\\",\\\"user\\\":{\\\"username\\\":\\\"" + user
                + "\\\"},\\\"responseStatus\\\":{\\\"code\\\":" + code + "}}";
        return "{\"logStreamName\":\"kube-apiserver-audit-4d51\",\"timestamp\":"
                + java.time.Instant.parse(ts).toEpochMilli() + ",\"message\":\"" + m + "\"}";
    }

    private Path corpus() throws IOException {
        Path p = dir.resolve("audit.jsonl");
        Files.writeString(p, String.join("\n",
                audit("2026-11-20T10:00:00Z", "get", "system:serviceaccount:kube-system:resourcequota-controller", 503,
                        "/apis/metrics.k8s.io/v1beta1?timeout=32s"),
                audit("2026-11-20T10:05:00Z", "list", "kubernetes-admin", 200, "/api/v1/namespaces/kube-system/pods"),
                "not json at all",
                audit("2026-11-20T10:10:00Z", "patch", "mallory, admin", 500,
                        "/api/v1/namespaces/kube-system/configmaps/aws-auth"),
                "{\"logStreamName\":\"authenticator-8c0c\",\"timestamp\":1795168800000,"
                        + "\"message\":\"time=\\\"2026-11-20T10:00:00Z\\\" level=warning msg=\\\"access denied\\\"\"}")
                + "\n");
        return p;
    }

    private static final String FIVE_XX = "fields @timestamp, responseStatus.code, user.username\n"
            + "| filter @logStream like /^kube-apiserver-audit/\n"
            + "| filter responseStatus.code >= 500";

    @Test
    void tableIsTheDefaultNewestFirstWithASummaryAndMalformedLinesOnStderr() throws IOException {
        Path logs = corpus();
        Run r = run("query", "--logs", logs.toString(), FIVE_XX);
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(
                "@timestamp              | responseStatus.code | user.username\n"
                        + "----------------------- | ------------------- | ----------------------------------------------------------\n"
                        + "2026-11-20 10:10:00.000 | 500                 | mallory, admin\n"
                        + "2026-11-20 10:00:00.000 | 503                 | system:serviceaccount:kube-system:resourcequota-controller\n");
        assertThat(r.err()).contains("2 rows; 4 records scanned, 2 matched; 4 events read")
                .contains("warning: 1 malformed record(s) skipped:")
                .contains(logs + ":3: invalid JSON at column 1");
    }

    @Test
    void csvLikeTheConsoleExport() throws IOException {
        Run r = run("query", "--logs", corpus().toString(), "--format", "csv", FIVE_XX);
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("@timestamp,responseStatus.code,user.username\r\n"
                + "2026-11-20 10:10:00.000,500,\"mallory, admin\"\r\n"
                + "2026-11-20 10:00:00.000,503,system:serviceaccount:kube-system:resourcequota-controller\r\n");
    }

    @Test
    void jsonOneObjectPerRowAndAggregates() throws IOException {
        Run r = run("query", "--logs", corpus().toString(), "--format", "json",
                "filter @logStream like /^kube-apiserver-audit/\n| stats count(*) as count by responseStatus.code\n"
                        + "| sort count desc, responseStatus.code asc");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("{\"responseStatus.code\":\"200\",\"count\":\"1\"}\n"
                + "{\"responseStatus.code\":\"500\",\"count\":\"1\"}\n"
                + "{\"responseStatus.code\":\"503\",\"count\":\"1\"}\n");
    }

    @Test
    void sinceAndUntilBoundTheScan() throws IOException {
        Path logs = corpus();
        Run r = run("query", "--logs", logs.toString(), "--format", "csv", "--since", "2026-11-20T10:05:00Z",
                "--until", "2026-11-20T10:10:00Z", "fields verb");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("verb\r\nlist\r\n");
        Run relative = run("query", "--logs", logs.toString(), "--format", "csv", "--now", "2026-11-20T10:20:00Z",
                "--since", "12m", "fields verb");
        assertThat(relative.out()).isEqualTo("verb\r\npatch\r\n");
    }

    @Test
    void seedArticleQueryFromAFileOverADirectory() throws IOException {
        corpus();
        Path q = dir.resolve("denied.insights");
        Files.writeString(q, "fields @logStream, @timestamp, @message\n| filter @logStream like /^authenticator/\n"
                + "| filter @message like \"denied\"\n| sort @timestamp desc\n| limit 50\n");
        Run r = run("query", "--logs", dir.toString(), "--format", "csv", "-f", q.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("@logStream,@timestamp,@message\r\n"
                + "authenticator-8c0c,2026-11-20 10:00:00.000,"
                + "\"time=\"\"2026-11-20T10:00:00Z\"\" level=warning msg=\"\"access denied\"\"\"\r\n");
        assertThat(r.err()).contains("note: 1 file(s) not read").contains("denied.insights");
    }

    @Test
    void theSummarysMegabytesAreWhatPercentPoint1fPrinted() {
        java.util.Random random = new java.util.Random(11);
        java.util.List<Long> sizes = new java.util.ArrayList<>(java.util.List.of(0L, 1L, 49_999L, 50_000L, 50_001L,
                255_201L, 950_000L, 1_000_000_000_000L, 204_000_000L));
        for (int i = 0; i < 20_000; i++) {
            long k = random.nextInt(1 << 30) * 100_000L;
            sizes.add(k + random.nextInt(100_000));
            sizes.add(k + 50_000 + random.nextInt(3) - 1); // around the half
        }
        for (long bytes : sizes) {
            assertThat(QueryCommand.megabytes(bytes)).as("%d", bytes)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6));
        }
    }

    @Test
    void theSummaryLineIsUnchanged() throws IOException {
        Run r = run("query", "--logs", logs().toString(), "fields @message");
        assertThat(r.err()).isEqualTo("1 rows; 1 records scanned, 1 matched; 1 events read (0.0 MB)\n");
    }
}
