package io.ekslookout.cli;

import io.ekslookout.detect.SecretScrubber;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryContext;
import io.ekslookout.query.QueryException;
import io.ekslookout.query.QueryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code eks-lookout query (--logs PATH | --cluster NAME | --log-group NAME) [--since T] [--until T] [--format F]
 * 'QUERY'}: one query over local logs with the embedded engine, or over CloudWatch Logs with Logs Insights.
 */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one CloudWatch Logs Insights query over local log files with the embedded engine,"
                + " or with --cluster/--log-group on CloudWatch Logs Insights itself (without --since: the last hour).",
                "PATH: a file or directory of log files (plain or .gz): JSON from 'aws logs filter-log-events"
                        + " --output json', JSON Lines of {logStreamName,timestamp,message,ingestionTime,eventId},"
                        + " or a raw Kubernetes audit log.",
                "With --logs, --log-group NAME names the group the local events belong to (@log; default "
                        + LocalLogs.DEFAULT_LOG_GROUP + ")."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the query ran (rows are results, not findings: 0 with or without rows)",
                "2:bad arguments, a query error (with its location) or logs that cannot be read; with --strict, any"
                        + " skipped line; AWS: no region, no or refused credentials, unknown --profile, access denied,"
                        + " no log group, a query Logs Insights rejected",
                "3:internal error (one line; EKS_LOOKOUT_DEBUG=1 prints the stack trace), or an AWS problem of the"
                        + " moment (endpoint unreachable, throttled longer than --throttle-timeout)"})
public final class QueryCommand extends CliCommand {
    @Option(names = "--logs", paramLabel = "PATH",
            description = "Log file or directory ('-' reads standard input); or --cluster/--log-group for CloudWatch.")
    Path logs;

    /** --cluster, --log-group, --region, --profile, --endpoint-url, --throttle-timeout. */
    @Mixin
    CloudSource cloud = new CloudSource();

    /** --since, --until. */
    @Mixin
    TimeOptions time = new TimeOptions();

    @Option(names = "--format", paramLabel = "F", defaultValue = "table",
            description = "Output: table (default), csv or json (one object per line).")
    String format;

    @Option(names = {"-f", "--query-file"}, paramLabel = "FILE", description = "Read the query from FILE.")
    Path queryFile;

    @Option(names = "--max-groups", paramLabel = "N", defaultValue = "100000",
            description = "Most groups one stats (and keys one dedup, values one count_distinct) keeps in memory;"
                    + " past it a query's result is partial and says so. Default: ${DEFAULT-VALUE}.")
    int maxGroups;

    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "The Logs Insights query text.")
    String queryText;

    /** --strict, --report FILE. */
    @Mixin
    ReadOptions reading = new ReadOptions();

    @Override
    int run(PrintWriter out, PrintWriter err) {
        String text = queryText();
        ResultPrinter.Format fmt = argument(() -> ResultPrinter.Format.parse(format));
        Instant now = time.now();
        Instant since = time.since(now);
        Instant until = time.until(now);
        if (since != null && until != null) {
            TimeOptions.checkOrder(since, until);
        }
        if (logs == null || (cloud.clusters != null && !cloud.clusters.isEmpty())) {
            return runCloud(text, fmt, since, until, now, err, out);
        }
        String logGroup = cloud.logGroup == null ? LocalLogs.DEFAULT_LOG_GROUP : cloud.logGroup;
        long start = since == null ? Long.MIN_VALUE : since.toEpochMilli();
        long end = until == null ? Long.MAX_VALUE : until.toEpochMilli();
        io.ekslookout.query.QueryLimits limits = limits(maxGroups);
        LocalLogs source = openLogs(logs, logGroup);
        QueryResult result;
        ReadReport report;
        Query query;
        try {
            query = Query.parse(text);
            Query.Execution execution = query.start(new QueryContext(start, end, now, "000000000000", logGroup),
                    limits);
            report = source.read(io.ekslookout.logs.RawEventSink.of(execution, source::location));
            result = execution.finish();
        } catch (QueryException e) {
            throw new Failure(e.render(text), true);
        } catch (IOException e) {
            throw new Failure("cannot read " + logs + ": " + e.getMessage());
        }
        result = SecretScrubber.forQuery(query).scrub(result); // Secret values never leave, here either
        new ResultPrinter(fmt).print(result, out);
        summary(source, result, report, err);
        int code = reading.strictCode(0, report, err);
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("rows", result.rows().size());
        more.put("recordsScanned", result.recordsScanned());
        more.put("recordsMatched", result.recordsMatched());
        more.put("exitCode", code);
        reading.writeReport("query", report, more);
        return code;
    }

    /** --cluster/--log-group: the query on Logs Insights, its rows printed and scrubbed as the local ones. */
    private int runCloud(String text, ResultPrinter.Format fmt, java.time.Instant since, java.time.Instant until,
                         java.time.Instant now, PrintWriter err, PrintWriter out) {
        String bad = cloud.checkSource(logs != null);
        if (bad != null) {
            throw new Failure(bad);
        }
        if (reading.strict || reading.report != null) {
            throw new Failure("--strict and --report describe reading local logs: give them with --logs");
        }
        io.ekslookout.detect.TimeWindow window = cloud.window(since, until, now);
        TimeOptions.checkOrder(window.start(), window.end());
        Query query;
        try {
            query = Query.parse(text); // parsed once here; Logs Insights is sent its text
        } catch (QueryException e) {
            throw new Failure(e.render(text), true);
        }
        io.ekslookout.detect.BatchResult batch = cloud.runOne("query", query, window);
        QueryResult result = SecretScrubber.forQuery(query).scrub(batch.outcomes().get(0).result());
        new ResultPrinter(fmt).print(result, out);
        cloud.summary(result, batch, err);
        return 0;
    }

    /**
     * {@code bytes} in MB with one decimal, rounded half up: what {@code "%.1f"} of {@code bytes / 1e6} prints in an
     * English or the root locale, without a {@link java.util.Formatter}, whose first use loads the locale data (about
     * 7 ms of a small query's start), and the same in every locale.
     */
    static String megabytes(long bytes) {
        long tenths = (bytes + 50_000) / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }

    private String queryText() {
        if (queryFile != null && queryText != null) {
            throw new Failure("give the query either as an argument or with --query-file, not both");
        }
        if (queryFile != null) {
            try {
                return Files.readString(queryFile, StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new Failure("--query-file: no such file: " + queryFile);
            } catch (IOException e) {
                throw new Failure("--query-file: cannot read " + queryFile + ": " + e.getMessage());
            }
        }
        if (queryText == null || queryText.isBlank()) {
            throw new Failure("missing the query (an argument, or --query-file FILE)");
        }
        return queryText;
    }

    static void summary(LocalLogs source, QueryResult result, ReadReport report, PrintWriter err) {
        err.println(result.rows().size() + " rows; " + result.recordsScanned() + " records scanned, "
                + result.recordsMatched() + " matched; " + report.events() + " events read ("
                + megabytes(report.bytes()) + " MB)");
        printMalformed(report, err);
        if (result.eventErrors() > 0) {
            err.println("warning: " + result.eventErrors() + " event(s) could not be evaluated (the query went on"
                    + " with the others); first: " + ResultPrinter.safe(result.firstEventError()));
        }
        result.warnings().forEach(w -> err.println("warning: " + ResultPrinter.safe(w)));
        try {
            List<Path> skipped = source.skippedFiles();
            if (!skipped.isEmpty()) {
                err.println("note: " + skipped.size() + " file(s) not read (not .json/.jsonl/.ndjson/.log[.gz]): "
                        + skipped.get(0) + (skipped.size() > 1 ? ", ..." : ""));
            }
        } catch (IOException ignored) {
            // the read succeeded; the note is best effort
        }
    }
}
