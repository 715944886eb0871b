package io.ekslookout.cli;

import io.ekslookout.detect.BatchResult;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.Finding;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.QueryBackend;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import io.ekslookout.rules.Severity;
import io.ekslookout.state.AlertState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code eks-lookout scan --logs PATH}: runs the whole rule set once over local logs (one read for all rules) and
 * prints the findings. Thin: each step is a small method so other back ends can be wired in.
 */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs every rule over the logs and prints what they find.",
                "The input is read once for all rules. Without --since/--until the whole input is scanned."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing fired at or above --fail-on", "1:findings at or above --fail-on",
                "2:errors to fix (bad rules with their locations, a failing rule, unreadable logs, bad arguments;"
                        + " AWS: no region, no or refused credentials, unknown --profile, access denied, no log"
                        + " group, a failed --publish, --security-hub or --event-bus; with --strict, any skipped line)",
                "3:internal error, or an AWS problem of the moment (endpoint unreachable or not answering,"
                        + " throttled longer than --throttle-timeout): retrying later may help"})
public final class ScanCommand extends CliCommand {
    @Option(names = "--logs", paramLabel = "PATH",
            description = "Log file or directory to scan (plain or .gz); or --cluster/--log-group for CloudWatch.")
    Path logs;

    /** --cluster, --log-group, --region, --endpoint-url, --publish: the AWS side (see CloudOptions). */
    @Mixin
    CloudOptions cloud = new CloudOptions();

    @Option(names = "--rules", paramLabel = "DIR",
            description = "Rules directory (default: ./rules, else the rules bundled in the jar).")
    Path rules;

    @Option(names = "--overrides", paramLabel = "FILE", description = RulesOptions.OVERRIDES_HELP)
    Path overrides;

    /** --since, --until. */
    @Mixin
    TimeOptions time = new TimeOptions();

    @Option(names = "--min-severity", paramLabel = "S", defaultValue = "info",
            description = "Run only rules of severity S or above: info, low, medium, high, critical."
                    + " Default: ${DEFAULT-VALUE}.")
    String minSeverity;

    @Option(names = "--fail-on", paramLabel = "S", defaultValue = "low",
            description = "Exit 1 when a finding has severity S or above. Default: ${DEFAULT-VALUE}.")
    String failOn;

    @Option(names = "--format", paramLabel = "F", defaultValue = "table",
            description = "Output: table (default), json (one finding per line), csv, or ocsf (one OCSF 1.1.0"
                    + " Detection Finding per line, for Security Lake and SIEMs).")
    String format;

    @Option(names = "--max-groups", paramLabel = "N", defaultValue = "100000",
            description = "Most groups one stats (and keys one dedup, values one count_distinct) keeps in memory;"
                    + " past it a query's result is partial and says so. Default: ${DEFAULT-VALUE}.")
    int maxGroups;

    /** --state, --state-table, --renotify-after: alert state across runs. */
    @Mixin
    StateOptions alerts = new StateOptions();

    /** --strict, --report FILE. */
    @Mixin
    ReadOptions reading = new ReadOptions();

    /** What the arguments say, checked. */
    record Settings(Severity minSeverity, Severity failOn, ResultPrinter.Format format, TimeWindow window,
                    boolean ocsf) {
    }

    @Override
    int run(PrintWriter out, PrintWriter err) throws RuleValidationException {
        Settings s = settings();
        RuleSet set = RulesOptions.load(rules, overrides);
        List<Rule> selected = selectRules(set, s.minSeverity());
        if (set.enabledRules().isEmpty()) {
            throw new Failure("no enabled rules to run" + (rules == null ? "" : " in " + rules));
        }
        QueryBackend backend = backend();
        String badState = alerts.check();
        if (badState != null) {
            throw new Failure(badState);
        }
        AlertState state = alerts.open(cloud, selected);
        // one cluster: its findings name it; several: each outcome (and finding) names its own
        String cluster = cloud.cloud() && cloud.targets().size() == 1 ? cloud.target().cluster() : null;
        Detector.Detection detection = new Detector(backend, Detector.DEFAULT_ROW_CAP, cluster)
                .detect(selected, queryWindow(s.window()), null, null);
        DetectionReport report = detection.report();
        BatchResult batch = detection.batch();
        if (batch.halted() != null) {
            throw Failure.halted(batch.halted()); // every rule met it: one line naming the fix instead of a report
        }
        ReadReport read = batch.readReport();
        AlertState.Decision decision = state == null ? null
                : StateOptions.decide(state, report, cloud.label(), Instant.now());
        DetectionReport all = report;
        if (decision != null) { // only what is new or due is shown, sent and counted for the exit code
            report = new DetectionReport(all.window(), decision.due(), all.ruleErrors(), all.perRule());
        }
        if (s.ocsf()) {
            printOcsf(report, selected, out);
            FindingPrinter.summary(report, read, set.enabledRules().size(), err);
        } else {
            print(report, read, set.enabledRules().size(), s.format(), out, err);
        }
        if (decision != null) {
            (s.format() == ResultPrinter.Format.TABLE && !s.ocsf() ? out : err).println(stateLine(decision));
        }
        boolean published = decision == null ? cloudSteps(report, batch, selected, err)
                : cloudSteps(all, batch, decision, selected, state, err);
        int code = reading.strictCode(exitCode(report, read, s.failOn()), read, err);
        code = published ? code : Math.max(code, 2);
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("rulesRun", report.rulesRun());
        more.put("findings", report.findings().size());
        more.put("ruleErrors", report.ruleErrors().size());
        more.put("exitCode", code);
        reading.writeReport("scan", read, more);
        return code;
    }

    /** The summary's state line: how many findings were new or due and how many were repeats, not shown. */
    String stateLine(AlertState.Decision d) {
        StringBuilder sb = new StringBuilder("state (" + TerminalText.escape(alerts.where()) + "): ")
                .append(d.due().size()).append(" new or due, ").append(d.repeats().size())
                .append(" repeat(s) not shown (notified within their renotify period)");
        if (!d.quietErrors().isEmpty()) {
            sb.append("; health message already sent for ").append(d.quietErrors().size()).append(" failing rule(s)");
        }
        return sb.toString();
    }

    /**
     * The cloud steps with alert state: Security Hub gets every finding, SNS and EventBridge only what is due (and
     * the health message only for rules whose period is over). When a notifying step was asked for and nothing
     * reached it, the run's claims are given back so the next scan sends them.
     */
    boolean cloudSteps(DetectionReport all, BatchResult batch, AlertState.Decision d, List<Rule> selected,
                       AlertState state, PrintWriter err) {
        if (cloud.cloud()) {
            err.println(cloud.costLine(batch, all.rulesRun()));
        }
        DetectionReport due = new DetectionReport(all.window(), d.due(), d.dueErrors(), all.perRule());
        boolean sns = cloud.publishTopic() != null;
        boolean published = !sns || cloud.publish(due, selected, batch.warnings(), err);
        boolean exported = cloud.export(all.findings(), d.due(), selected, err);
        boolean notifying = sns || cloud.eventBus() != null;
        boolean delivered = (sns && cloud.lastPublished > 0) || (cloud.eventBus() != null && exported);
        if (notifying && !delivered && !d.claims().isEmpty()) {
            try {
                state.release(d);
                err.println("state: nothing was delivered; " + d.claims().size()
                        + " notification(s) released for the next scan");
            } catch (io.ekslookout.state.StateException e) {
                err.println("error: " + TerminalText.escape(e.getMessage()));
                return false;
            }
        }
        return exported && published;
    }

    /** A Logs Insights scan needs a bounded window: without --since it covers the last hour. */
    TimeWindow queryWindow(TimeWindow requested) {
        if (!cloud.cloud()) {
            return requested;
        }
        Instant now = time.now();
        return cloud.window(time.since == null ? null : requested.start(), time.until == null ? null : requested.end(),
                now);
    }

    /** After a scan: what Logs Insights cost, --publish, --security-hub, --event-bus (false when one failed). */
    boolean cloudSteps(DetectionReport report, BatchResult batch, List<Rule> selected, PrintWriter err) {
        if (cloud.cloud()) {
            err.println(cloud.costLine(batch, report.rulesRun()));
        }
        boolean published = cloud.publishTopic() == null || cloud.publish(report, selected, batch.warnings(), err);
        return cloud.export(report, selected, err) && published;
    }

    /** --format ocsf: one OCSF Detection Finding per line, written as safely as the json format. */
    void printOcsf(DetectionReport report, List<Rule> selected, PrintWriter out) {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper(
                TerminalText.JSON);
        io.ekslookout.export.ExportContext ctx;
        try {
            ctx = cloud.exportContext();
        } catch (RuntimeException unknown) {
            // the account could not be looked up: the lines go out without it (--security-hub/--event-bus report it)
            ctx = new io.ekslookout.export.ExportContext(cloud.label(), cloud.target().logGroup(),
                    null, null);
        }
        for (com.fasterxml.jackson.databind.node.ObjectNode o : io.ekslookout.export.Exports.ocsf(report.findings(),
                io.ekslookout.run.Wiring.ruleInfo(selected), ctx, Instant.now())) {
            try {
                out.println(json.writeValueAsString(o));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Where the queries run: the embedded engine over --logs, or Logs Insights for --cluster/--log-group. */
    QueryBackend backend() {
        String bad = cloud.check(logs != null);
        if (bad != null) {
            throw new Failure(bad);
        }
        if (cloud.cloud()) {
            return cloud.rulesBackend(); // every --cluster in one batch, each outcome (and finding) naming its cluster
        }
        // --logs: the embedded engine already reads the input once for all rules (one QueryBatch), so a planned
        // prefilter would save no read; and the read report (skipped lines, --strict) is the local back end's own

        return new LocalBackend(openLogs(logs, null), java.time.Clock.systemUTC(), limits(maxGroups));
    }

    Settings settings() {
        Severity min = severity("--min-severity", minSeverity);
        Severity fail = severity("--fail-on", failOn);
        boolean ocsf = format != null && format.strip().equalsIgnoreCase("ocsf");
        ResultPrinter.Format fmt = ocsf ? ResultPrinter.Format.JSON
                : argument(() -> ResultPrinter.Format.parse(format));
        return new Settings(min, fail, fmt, time.window(), ocsf);
    }

    private static Severity severity(String option, String text) {
        Severity s = Severity.parse(text);
        if (s == null) {
            throw new Failure(option + " '" + text + "' is not one of " + Severity.choices());
        }
        return s;
    }

    static List<Rule> selectRules(RuleSet set, Severity min) {
        return set.enabledRules().stream().filter(r -> r.severity().atLeast(min)).toList();
    }

    static Detector.Detection detect(QueryBackend backend, List<Rule> rules, TimeWindow window) {
        return new Detector(backend).detect(rules, window, null, null);
    }

    /** Findings on stdout; for json/csv the summary goes to stderr so stdout stays machine-readable. */
    static void print(DetectionReport report, ReadReport read, int rulesLoaded, ResultPrinter.Format format,
                      PrintWriter out, PrintWriter err) {
        new FindingPrinter(format).print(report.findings(), out);
        PrintWriter summaryTo = format == ResultPrinter.Format.TABLE ? out : err;
        if (format == ResultPrinter.Format.TABLE && !report.findings().isEmpty()) {
            out.println();
        }
        FindingPrinter.summary(report, read, rulesLoaded, summaryTo);
    }

    /**
     * 2 when a rule failed (unreadable logs fail every rule) or when the input had lines but not one readable event
     * (nothing was checked: "nothing fired" would be a silent miss); 1 when a finding reaches --fail-on; else 0.
     */
    static int exitCode(DetectionReport report, ReadReport read, Severity failOn) {
        if (!report.ruleErrors().isEmpty()) {
            return 2;
        }
        if (read != null && read.events() == 0 && read.malformed() > 0) {
            return 2;
        }
        for (Finding f : report.findings()) {
            if (Severity.parse(f.severity()).atLeast(failOn)) {
                return 1;
            }
        }
        return 0;
    }
}
