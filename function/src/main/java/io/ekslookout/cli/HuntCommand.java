package io.ekslookout.cli;

import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.QueryRequest;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.rules.Hunt;
import io.ekslookout.rules.RuleSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code eks-lookout hunt NAME --param k=v ... --logs PATH}: runs one investigative query from rules/hunts/. */
@Command(name = "hunt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a hunt (a parameterized query in rules/hunts/) over local logs.",
                "Parameter values are escaped for where they stand in the query: they cannot change it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the hunt ran (rows or not)", "2:unknown hunt, missing parameter, bad rules or logs"})
public final class HuntCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The hunt's id.")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "A parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--logs", paramLabel = "PATH", description = "Log file or directory.")
    Path logs;

    @Option(names = "--rules", paramLabel = "DIR",
            description = "Rules directory holding hunts/ (default: ./rules, else the bundled rules).")
    Path rules;

    @Option(names = "--since", paramLabel = "T", description = "Scan events at or after T (ISO-8601 or 2h, 30m, 7d).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Scan events before T (same forms as --since).")
    String until;

    @Option(names = "--format", paramLabel = "F", defaultValue = "table",
            description = "Output: table (default), csv or json (one object per line).")
    String format;

    @Option(names = "--now", hidden = true, description = "The current time (tests).")
    String nowText;

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
        RuleSet set = RulesOptions.load(rules, err);
        if (set == null) {
            return 2;
        }
        if (name == null) {
            listHunts(set, out);
            return 0;
        }
        Hunt hunt = set.hunt(name).orElse(null);
        if (hunt == null) {
            err.println("error: no hunt named '" + ResultPrinter.safe(name) + "'; hunts: "
                    + String.join(", ", set.hunts().stream().map(Hunt::id).toList()));
            return 2;
        }
        String query;
        ResultPrinter.Format fmt;
        TimeWindow window;
        try {
            query = hunt.render(params);
            fmt = ResultPrinter.Format.parse(format);
            window = window();
        } catch (IllegalArgumentException e) {
            err.println("error: " + ResultPrinter.safe(e.getMessage()));
            return 2;
        }
        if (logs == null) {
            err.println("error: missing --logs PATH");
            return 2;
        }
        LocalBackend backend;
        try {
            backend = new LocalBackend(LocalLogs.open(logs));
        } catch (IllegalArgumentException e) {
            err.println("error: --logs: " + e.getMessage());
            return 2;
        }
        QueryOutcome o = backend.runAll(List.of(new QueryRequest(hunt.id(), query, window, null))).get(0);
        if (o.failed()) {
            err.println("error: hunt '" + hunt.id() + "' failed: " + ResultPrinter.safe(o.error()));
            return 2;
        }
        new ResultPrinter(fmt).print(o.result(), out);
        err.printf("%d rows; %d records scanned, %d matched%n", o.result().rows().size(),
                o.result().recordsScanned(), o.result().recordsMatched());
        if (backend.lastRead() != null) {
            QueryCommand.malformed(backend.lastRead(), err);
        }
        return 0;
    }

    private TimeWindow window() {
        if (since == null && until == null) {
            return LocalBackend.WHOLE_INPUT;
        }
        Instant now = nowText == null ? Instant.now() : TimeArgs.parse(nowText, Instant.now());
        Instant start = since == null ? LocalBackend.WHOLE_INPUT.start() : TimeArgs.parse(since, now);
        Instant end = until == null ? now : TimeArgs.parse(until, now);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("--since (" + start + ") must be before --until (" + end + ")");
        }
        return new TimeWindow(start, end);
    }

    private static void listHunts(RuleSet set, PrintWriter out) {
        for (Hunt h : set.hunts()) {
            out.println(h.id() + " — " + h.title());
            for (Hunt.Param p : h.params().values()) {
                String def = p.defaultValue() == null || p.defaultValue().isEmpty() ? "\"\"" : p.defaultValue();
                out.println("    --param " + p.name() + "=…  " + (p.required() ? "(required) " : "(default " + def
                        + ") ") + (p.description() == null ? "" : p.description().strip()));
            }
        }
    }
}
