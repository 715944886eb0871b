package io.ekslookout.cli;

import io.ekslookout.plan.Planner;
import io.ekslookout.plan.ScanPlan;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
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
 * covers, the rules left to run alone and why, and how many times each byte is scanned on the schedule.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Prints the combined Logs Insights prefilter query a scan runs for the enabled rules, the rules"
                + " it covers, the rules left to run as their own query and why, and the scan multiplier (how many"
                + " times each byte of logs is scanned) for the schedule and lookback."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the plan was printed",
                "2:the rule files do not validate, bad --schedule or --lookback",
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
            description = "How far back each run looks beyond its period (0 to 1d). Default: 15m.")
    String lookback;

    @Override
    int run(PrintWriter out, PrintWriter err) throws RuleValidationException {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        if (schedule != null) {
            raw.put(Setting.PERIOD, schedule);
        }
        if (lookback != null) {
            raw.put(Setting.LOOKBACK, lookback);
        }
        // the same checks (and defaults) as the Lambda's settings, named as this command's options
        RunSettings.Checked checked = RunSettings.check(raw, s -> s == Setting.PERIOD ? "--schedule"
                : s == Setting.LOOKBACK ? "--lookback" : s.name());
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
        ScanPlan.Multiplier m = plan.multiplier(settings.period(), settings.lookback());
        String window = SettingsDuration.show(settings.period()) + " + " + SettingsDuration.show(settings.lookback())
                + " lookback";
        out.println("# scan multiplier (each byte of logs scanned this many times; schedule " + window + ")");
        out.println("  one query per rule: " + plan.ruleCount() + " queries x (" + window + ") / "
                + SettingsDuration.show(settings.period()) + " = " + number(m.perRule()));
        out.println("  planned:            " + plan.queryCount() + " queries x (" + window + ") / "
                + SettingsDuration.show(settings.period()) + " = " + number(m.planned()));
        return Main.CLEAN;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
