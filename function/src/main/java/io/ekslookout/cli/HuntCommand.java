package io.ekslookout.cli;

import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.Batch;
import io.ekslookout.detect.BatchResult;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryException;
import io.ekslookout.detect.SecretScrubber;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.query.QueryResult;
import io.ekslookout.rules.Hunt;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code eks-lookout hunt NAME --param k=v ... (--logs PATH | --cluster NAME | --log-group NAME)}: runs one
 * investigative query from rules/hunts/ over local logs or on CloudWatch Logs Insights.
 */
@Command(name = "hunt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a hunt (a parameterized query in rules/hunts/) over local logs, or with"
                + " --cluster/--log-group on CloudWatch Logs Insights (without --since: the last hour).",
                "Without NAME, lists the hunts and their parameters.",
                "Parameter values are escaped for where they stand in the query: they cannot change it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the hunt ran (rows are results, not findings: 0 with or without rows)",
                "2:unknown hunt, missing parameter, bad rules, logs that cannot be read, bad arguments; AWS: no"
                        + " region, no or refused credentials, unknown --profile, access denied, no log group",
                "3:internal error (one line; EKS_LOOKOUT_DEBUG=1 prints the stack trace), or an AWS problem of the"
                        + " moment (endpoint unreachable, throttled longer than --throttle-timeout)"})
public final class HuntCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The hunt's id (none: list them).")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "A parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--logs", paramLabel = "PATH",
            description = "Log file or directory; or --cluster/--log-group for CloudWatch.")
    Path logs;

    /** --cluster, --log-group, --region, --profile, --endpoint-url, --throttle-timeout. */
    @Mixin
    CloudSource cloud = new CloudSource();

    @Option(names = "--rules", paramLabel = "DIR",
            description = "Rules directory holding hunts/ (default: ./rules, else the bundled rules).")
    Path rules;

    /** --since, --until. */
    @Mixin
    TimeOptions time = new TimeOptions();

    @Option(names = "--format", paramLabel = "F", defaultValue = "table",
            description = "Output: table (default), csv or json (one object per line).")
    String format;

    @Override
    int run(PrintWriter out, PrintWriter err) throws RuleValidationException {
        RuleSet set = RulesOptions.load(rules);
        if (name == null) {
            listHunts(set, out);
            return 0;
        }
        Hunt hunt = set.hunt(name).orElseThrow(() -> new Failure("no hunt named '" + name + "'; hunts: "
                + String.join(", ", set.hunts().stream().map(Hunt::id).toList())));
        Query query = huntQuery(hunt);
        ResultPrinter.Format fmt = argument(() -> ResultPrinter.Format.parse(format));
        String bad = cloud.checkSource(logs != null);
        if (bad != null) {
            throw new Failure(bad);
        }
        if (cloud.cloud()) {
            Instant now = time.now();
            TimeWindow window = cloud.window(time.since(now), time.until(now), now);
            TimeOptions.checkOrder(window.start(), window.end());
            BatchResult batch = cloud.runOne("hunt '" + hunt.id() + "'", query, window);
            QueryResult rows = SecretScrubber.forQuery(query).scrub(batch.outcomes().get(0).result());
            new ResultPrinter(fmt).print(rows, out);
            cloud.summary(rows, batch, err);
            return 0;
        }
        TimeWindow window = time.window();
        LocalBackend backend = new LocalBackend(openLogs(logs, null));
        BatchResult batch = backend.run(Batch.one(new Batch.Entry(hunt.id(), query), window, null, null));
        QueryOutcome o = batch.outcomes().get(0);
        if (o.failed()) {
            throw new Failure("hunt '" + hunt.id() + "' failed: " + o.error());
        }
        new ResultPrinter(fmt).print(SecretScrubber.forQuery(query).scrub(o.result()), out);
        err.printf("%d rows; %d records scanned, %d matched%n", o.result().rows().size(),
                o.result().recordsScanned(), o.result().recordsMatched());
        if (batch.readReport() != null) {
            printMalformed(batch.readReport(), err);
        }
        return 0;
    }

    /** The hunt's query with --param values, parsed once; a bad value or query is one line, exit 2. */
    private Query huntQuery(Hunt hunt) {
        String text = argument(() -> hunt.render(params));
        try {
            return Query.parse(text);
        } catch (QueryException e) {
            throw new Failure("hunt '" + hunt.id() + "' failed: query does not parse: " + e.getMessage());
        }
    }

    private static void listHunts(RuleSet set, PrintWriter out) {
        for (Hunt h : set.hunts()) {
            out.println(h.id() + " — " + h.title());
            for (Hunt.Param p : h.params().values()) {
                String def = p.defaultValue() == null || p.defaultValue().isEmpty() ? "(optional) "
                        : "(default " + p.defaultValue() + ") ";
                out.println("    --param " + p.name() + "=…  " + (p.required() ? "(required) " : def)
                        + (p.description() == null ? "" : p.description().strip()));
            }
        }
    }
}
