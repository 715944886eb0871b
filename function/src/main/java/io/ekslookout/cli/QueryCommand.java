package io.ekslookout.cli;

import io.ekslookout.logs.LocalLogs;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryContext;
import io.ekslookout.query.QueryException;
import io.ekslookout.query.QueryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eks-lookout query --logs PATH [--since T] [--until T] [--format F] 'QUERY'}: one query over local logs. */
@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one CloudWatch Logs Insights query over local log files with the embedded engine.",
                "PATH: a file or directory of log files (plain or .gz): JSON from 'aws logs filter-log-events"
                        + " --output json', JSON Lines of {logStreamName,timestamp,message,ingestionTime,eventId},"
                        + " or a raw Kubernetes audit log."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the logs could not be read", "2:usage or query error"})
public final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--logs", required = true, paramLabel = "PATH",
            description = "Log file or directory ('-' reads standard input).")
    Path logs;

    @Option(names = "--since", paramLabel = "T",
            description = "Scan events at or after T: ISO-8601 time (2026-11-20T10:00:00Z) or a duration back from"
                    + " now (30m, 2h, 7d).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Scan events before T (same forms as --since).")
    String until;

    @Option(names = "--format", paramLabel = "F", defaultValue = "table",
            description = "Output: table (default), csv or json (one object per line).")
    String format;

    @Option(names = "--log-group", paramLabel = "NAME", defaultValue = LocalLogs.DEFAULT_LOG_GROUP,
            description = "Log group the local events belong to (for @log). Default: ${DEFAULT-VALUE}.")
    String logGroup;

    @Option(names = {"-f", "--query-file"}, paramLabel = "FILE", description = "Read the query from FILE.")
    Path queryFile;

    @Option(names = "--now", hidden = true, description = "The current time (tests).")
    String nowText;

    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "The Logs Insights query text.")
    String queryText;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        String text;
        try {
            text = queryText(err);
        } catch (IOException e) {
            err.println("error: cannot read the query file: " + e.getMessage());
            return 2;
        }
        if (text == null) {
            return 2;
        }
        ResultPrinter.Format fmt;
        Instant now;
        long start;
        long end;
        try {
            fmt = ResultPrinter.Format.parse(format);
            now = nowText == null ? Instant.now() : TimeArgs.parse(nowText, Instant.now());
            start = since == null ? Long.MIN_VALUE : TimeArgs.parse(since, now).toEpochMilli();
            end = until == null ? Long.MAX_VALUE : TimeArgs.parse(until, now).toEpochMilli();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (start >= end) {
            err.println("error: --since must be before --until");
            return 2;
        }
        LocalLogs source;
        try {
            source = LocalLogs.open(logs, logGroup);
        } catch (IllegalArgumentException e) {
            err.println("error: --logs: " + e.getMessage());
            return 2;
        }
        QueryResult result;
        ReadReport report;
        try {
            Query query = Query.parse(text);
            Query.Execution execution = query.start(new QueryContext(start, end, now, "000000000000", logGroup));
            long from = start;
            long to = end;
            report = source.read(event -> {
                if (event.timestamp() >= from && event.timestamp() < to) {
                    execution.accept(event);
                }
            });
            result = execution.finish();
        } catch (QueryException e) {
            err.println("error: " + e.render(text));
            return 2;
        } catch (IOException e) {
            err.println("error: cannot read " + logs + ": " + e.getMessage());
            return 1;
        }
        new ResultPrinter(fmt).print(result, out);
        summary(source, result, report, err);
        return 0;
    }

    private String queryText(PrintWriter err) throws IOException {
        if (queryFile != null && queryText != null) {
            err.println("error: give the query either as an argument or with --query-file, not both");
            return null;
        }
        if (queryFile != null) {
            return Files.readString(queryFile, StandardCharsets.UTF_8);
        }
        if (queryText == null || queryText.isBlank()) {
            err.println("error: missing the query (an argument, or --query-file FILE)");
            return null;
        }
        return queryText;
    }

    static void summary(LocalLogs source, QueryResult result, ReadReport report, PrintWriter err) {
        err.printf("%d rows; %d records scanned, %d matched; %d events read (%.1f MB)%n", result.rows().size(),
                result.recordsScanned(), result.recordsMatched(), report.events(), report.bytes() / 1e6);
        malformed(report, err);
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

    /** Prints the malformed-record count and samples of a read (reusable by scan/hunt). */
    public static void malformed(ReadReport report, PrintWriter err) {
        if (report.malformed() > 0) {
            err.println("warning: " + report.malformed() + " malformed record(s) skipped"
                    + (report.malformed() > report.malformedSamples().size() ? "; the first:" : ":"));
            for (String s : report.malformedSamples()) {
                err.println("  " + ResultPrinter.safe(s));
            }
        }
    }
}
