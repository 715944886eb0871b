package io.ekslookout.cli;

import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.QueryRequest;
import io.ekslookout.detect.SecretScrubber;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.rules.Hunt;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code eks-lookout hunt NAME --param k=v ... --logs PATH}: runs one investigative query from rules/hunts/. */
@Command(name = "hunt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a hunt (a parameterized query in rules/hunts/) over local logs.",
                "Without NAME, lists the hunts and their parameters.",
                "Parameter values are escaped for where they stand in the query: they cannot change it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the hunt ran (rows are results, not findings: 0 with or without rows)",
                "2:unknown hunt, missing parameter, bad rules, logs that cannot be read, bad arguments",
                "3:internal error (one line; EKS_LOOKOUT_DEBUG=1 prints the stack trace)"})
public final class HuntCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The hunt's id (none: list them).")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "A parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--logs", paramLabel = "PATH", description = "Log file or directory.")
    Path logs;

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
        String query = argument(() -> hunt.render(params));
        ResultPrinter.Format fmt = argument(() -> ResultPrinter.Format.parse(format));
        TimeWindow window = time.window();
        if (logs == null) {
            throw new Failure("missing --logs PATH");
        }
        LocalBackend backend = new LocalBackend(openLogs(logs, null));
        QueryOutcome o = backend.runAll(List.of(new QueryRequest(hunt.id(), query, window, null))).get(0);
        if (o.failed()) {
            throw new Failure("hunt '" + hunt.id() + "' failed: " + o.error());
        }
        new ResultPrinter(fmt).print(SecretScrubber.forQuery(query).scrub(o.result()), out);
        err.printf("%d rows; %d records scanned, %d matched%n", o.result().rows().size(),
                o.result().recordsScanned(), o.result().recordsMatched());
        if (backend.lastRead() != null) {
            printMalformed(backend.lastRead(), err);
        }
        return 0;
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
