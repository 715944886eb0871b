package io.ekslookout.cli;

import io.ekslookout.plan.Planner;
import io.ekslookout.plan.ScanPlan;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import io.ekslookout.schedule.ScanMode;
import io.ekslookout.schedule.WindowPlanner;
import io.ekslookout.settings.RunSettings;
import io.ekslookout.settings.Setting;
import io.ekslookout.settings.SettingsDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code eks-lookout plan}: shows how a scan fetches the rules' events: the combined prefilter query, the rules it
 * covers, the rules left to run alone and why, and how many times each byte is scanned on the schedule in the chosen
 * scan mode (with its delivery bound and latency).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Prints the combined Logs Insights prefilter query a scan runs for the enabled rules, the rules"
                + " it covers, the rules left to run as their own query and why, and the scan multiplier (how many"
                + " times each byte of logs is scanned) for the schedule and the scan mode (ingestion with its"
                + " lookback, or event-time with its delay)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the plan was printed",
                "2:the rule files do not validate, bad --schedule, --lookback, --scan-mode or --scan-delay",
                "3:internal error (one line; EKS_LOOKOUT_DEBUG=1 prints the stack trace)"})
public final class PlanCommand extends CliCommand {
    @Option(names = "--rules", paramLabel = "DIR",
            description = "Rules directory (default: ./rules, else the rules bundled in the jar).")
    Path rules;

    @Option(names = "--overrides", paramLabel = "FILE", description = RulesOptions.OVERRIDES_HELP)
    Path overrides;

    @Option(names = "--schedule", paramLabel = "PERIOD",
            description = "How often the scheduled scan runs (5m, PT5M, ...). Default: 5m, the Lambda's default.")
    String schedule;

    @Option(names = "--lookback", paramLabel = "DURATION",
            description = "ingestion mode: how far back each run looks beyond its period (0 to 1d). Default: 15m.")
    String lookback;

    @Option(names = "--scan-mode", paramLabel = "MODE",
            description = "ingestion (tile ingestion time, scan the lookback too: each byte scanned (period +"
                    + " lookback) / period times) or event-time (tile event time --scan-delay behind each run: each"
                    + " byte scanned once, events delivered later than the delay may be missed). Default: ingestion,"
                    + " the Lambda's default.")
    String scanMode;

    @Option(names = "--scan-delay", paramLabel = "DURATION",
            description = "event-time mode: how far behind each run its window ends, the delivery delay it"
                    + " tolerates (1m to 1d). Default: 10m.")
    String scanDelay;

    @Override
    int run(PrintWriter out, PrintWriter err) throws RuleValidationException {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        if (schedule != null) {
            raw.put(Setting.PERIOD, schedule);
        }
        if (lookback != null) {
            raw.put(Setting.LOOKBACK, lookback);
        }
        if (scanMode != null) {
            raw.put(Setting.SCAN_MODE, scanMode);
        }
        if (scanDelay != null) {
            raw.put(Setting.SCAN_DELAY, scanDelay);
        }
        // the same checks (and defaults) as the Lambda's settings, named as this command's options
        RunSettings.Checked checked = RunSettings.check(raw, s -> switch (s) {
            case PERIOD -> "--schedule";
            case LOOKBACK -> "--lookback";
            case SCAN_MODE -> "--scan-mode";
            case SCAN_DELAY -> "--scan-delay";
            default -> s.name();
        });
        if (!checked.ok()) {
            throw new Failure(checked.problems().get(0).text());
        }
        RunSettings settings = checked.settings();
        RuleSet set = RulesOptions.load(rules, overrides);
        ScanPlan plan = Planner.planRules(set.rules());

        int n = 0;
        for (ScanPlan.Prefilter p : plan.prefilters()) {
            n++;
            out.println("# prefilter query " + n + " of " + plan.prefilters().size() + " (" + p.text().length()
                    + " characters), for " + p.ruleIds().size() + (p.ruleIds().size() == 1 ? " rule" : " rules"));
            for (String line : p.text().split("\n", -1)) {
                out.println(TerminalText.escape(line));
            }
            out.println();
            out.println("# rules it covers");
            for (String id : p.ruleIds()) {
                out.println("  " + TerminalText.escape(id));
                for (String why : plan.leftOut().getOrDefault(id, List.of())) {
                    out.println("      evaluated locally only (query line:column): " + TerminalText.escape(why));
                }
            }
            out.println();
        }
        out.println("# rules run as their own query: " + plan.separate().size());
        for (ScanPlan.Separate s : plan.separate()) {
            out.println("  " + TerminalText.escape(s.ruleId()) + ": " + TerminalText.escape(s.reason()));
        }
        out.println();
        WindowPlanner windows = new WindowPlanner(settings.scanMode(), settings.period(), settings.settleDelay(),
                settings.lookback(), settings.scanDelay());
        ScanPlan.Multiplier m = plan.multiplier(windows.scanMultiplier());
        String period = SettingsDuration.show(settings.period());
        String settle = SettingsDuration.show(settings.settleDelay());
        String window;
        String header;
        String bound;
        if (windows.mode() == ScanMode.EVENT_TIME) {
            String delay = SettingsDuration.show(settings.scanDelay());
            window = period;
            header = "scan mode event-time: each run scans " + period + " of event time ending " + delay
                    + " before its tick, no overlap";
            bound = "an event delivered more than " + delay + " after its timestamp may be missed (and is, "
                    + SettingsDuration.show(settings.scanDelay().plus(settings.period())) + " or later);"
                    + " a finding comes " + settle + " settle + " + delay + " + up to " + period
                    + " after its event";
        } else {
            window = "(" + period + " + " + SettingsDuration.show(settings.lookback()) + " lookback)";
            header = "scan mode ingestion: schedule " + period + " + " + SettingsDuration.show(settings.lookback())
                    + " lookback";
            bound = "an event delivered up to " + SettingsDuration.show(settings.lookback()) + " after its"
                    + " timestamp is always seen; a finding comes " + settle + " settle + up to " + period
                    + " after its event was ingested";
        }
        out.println("# scan multiplier (each byte of logs scanned this many times; " + header + ")");
        out.println("  one query per rule: " + plan.ruleCount() + " queries x " + window + " / " + period + " = "
                + number(m.perRule()));
        out.println("  planned:            " + plan.queryCount() + " queries x " + window + " / " + period + " = "
                + number(m.planned()));
        out.println("  " + bound);
        return Main.CLEAN;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
