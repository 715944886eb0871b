package io.ekslookout.cli;

import io.ekslookout.aws.InsightsBackend;
import io.ekslookout.aws.LogTarget;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.QueryBackend;
import io.ekslookout.run.ScanCost;
import io.ekslookout.run.Wiring;
import io.ekslookout.export.ExportContext;
import io.ekslookout.run.CloudExport;
import io.ekslookout.notify.Notifier;
import io.ekslookout.rules.Rule;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/**
 * The AWS side of {@code scan} (a picocli mixin): {@code --cluster NAME | --log-group NAME} runs the rules on
 * CloudWatch Logs Insights with the default credential chain and region (or {@code --profile NAME}),
 * {@code --publish TOPIC_ARN} sends the
 * findings to SNS exactly as the Lambda does (whatever the source, local logs too), {@code --endpoint-url} points
 * both at moto or LocalStack. {@code --security-hub} and {@code --event-bus NAME} also send the findings to Security
 * Hub (ASFF) and EventBridge, as the Lambda does with SECURITY_HUB and EVENT_BUS ({@link CloudExport}). Thin: it wires
 * {@link Wiring}'s parts.
 */
public final class CloudOptions extends CloudSource {
    @Option(names = "--publish", paramLabel = "TOPIC_ARN",
            description = "Also publish the findings to this SNS topic, as the Lambda would (email + Chatbot).")
    String publishTopic;

    @Option(names = "--max-concurrent-queries", paramLabel = "N", defaultValue = "10",
            description = "Logs Insights queries running at once. Default: ${DEFAULT-VALUE}.")
    int maxConcurrent;

    @Option(names = "--digest-threshold", paramLabel = "N", defaultValue = "10",
            description = "With --publish: more findings than N are sent as one digest. Default: ${DEFAULT-VALUE}.")
    int digestThreshold;

    @Option(names = "--security-hub",
            description = "Also import the findings into AWS Security Hub (ASFF, the account's default product;"
                    + " a repeat updates the same finding).")
    boolean securityHub;

    @Option(names = "--event-bus", paramLabel = "NAME",
            description = "Also send each finding as an event (source eks-lookout, detail-type"
                    + " 'EKS Lookout Finding') to this EventBridge bus (name or ARN; 'default' for the default bus).")
    String eventBus;

    private ExportContext exportContext;

    @Option(names = "--no-plan",
            description = "With --cluster/--log-group: run each rule as its own Logs Insights query (the former path,"
                    + " for comparison) instead of one planned prefilter query for all rules, each rule then"
                    + " evaluated locally on the events it returned.")
    boolean noPlan;

    /** Messages the last {@link #publish} sent. */
    int lastPublished;

    /** The event bus of --event-bus, or null. */
    String eventBus() {
        return eventBus;
    }

    public String publishTopic() {
        return publishTopic;
    }

    /** Checks the combination of options; returns an error message or null. */
    public String check(boolean localLogsGiven) {
        String bad = checkSource(localLogsGiven);
        if (bad != null) {
            return bad;
        }
        if (maxConcurrent < 1 || maxConcurrent > 100) {
            return "--max-concurrent-queries must be 1..100";
        }
        if (eventBus != null && eventBus.isBlank()) {
            return "--event-bus needs a bus name or ARN ('default' for the account's default bus)";
        }
        return null;
    }

    /** The Logs Insights back end for --cluster/--log-group. */
    public InsightsBackend backend() {
        return backend(maxConcurrent);
    }

    /**
     * Where the rules run for --cluster/--log-group: planned (the default: one prefilter query per 50 log groups for
     * every cluster, each rule evaluated per cluster), or Logs Insights itself with --no-plan (each rule on each
     * cluster); {@link Wiring#rulesBackend}.
     */
    public QueryBackend rulesBackend() {
        if (rules == null) {
            List<LogTarget> targets = targets();
            backend(targets, maxConcurrent); // the one over every log group (builtBackend)
            rules = Wiring.rulesBackend(clients().logs(), targets, InsightsBackend.Settings.defaults()
                    .withMaxConcurrent(maxConcurrent).withThrottleLimit(throttleLimit()), !noPlan);
        }
        return rules;
    }

    /** The back end the rules of the last scan ran on. */
    private QueryBackend rules;

    /**
     * Publishes the report to --publish with the scan's warnings; prints what was sent; returns false when a
     * publish failed.
     */
    public boolean publish(DetectionReport report, List<Rule> rules, List<String> warnings, PrintWriter err) {
        lastPublished = 0;
        Notifier notifier = Wiring.notifier(clients(), publishTopic, targets(), true, digestThreshold);
        Notifier.Report r = Wiring.publish(notifier, report, rules, warnings);
        err.println("published " + r.sent() + " message(s) to " + publishTopic
                + (r.digest() ? " (one digest for " + report.findings().size() + " findings)" : "")
                + (r.health() ? " including a health message" : ""));
        lastPublished = r.sent();
        for (String f : r.failures()) {
            err.println("error: publish failed: " + f);
        }
        return r.failures().isEmpty();
    }

    /** True when findings go to Security Hub or EventBridge. */
    public boolean exporting() {
        return securityHub || eventBus != null;
    }

    /**
     * Where the findings come from, for the exports: the target, the region, and the account (STS
     * GetCallerIdentity). The account is looked up when an export needs it (Security Hub, EventBridge) or the scan
     * reads CloudWatch anyway; for {@code --format ocsf} of local logs a failed lookup leaves it out.
     */
    ExportContext exportContext() {
        if (exportContext == null) {
            String account = null;
            String regionName = null;
            if (exporting()) {
                regionName = clients().regionName();
                account = clients().accountId();
            } else if (cloud() || region != null) {
                try {
                    regionName = clients().regionName();
                    account = clients().accountId();
                } catch (RuntimeException unknown) {
                    // OCSF without the account: the cloud section then says only provider and region
                }
            }
            exportContext = Wiring.exportContext(targets(), regionName, account);
        }
        return exportContext;
    }

    /**
     * --security-hub and --event-bus: sends the findings, prints what went out and, one line each, what did not.
     * Returns false when something was not sent (the scan then exits 2, as for a failed --publish).
     */
    public boolean export(DetectionReport report, List<Rule> rules, PrintWriter err) {
        return export(report.findings(), report.findings(), rules, err);
    }

    /** As above with alert state: Security Hub gets {@code all} findings, EventBridge the {@code due} ones. */
    public boolean export(List<io.ekslookout.detect.Finding> all, List<io.ekslookout.detect.Finding> due,
                          List<Rule> rules, PrintWriter err) {
        if (!exporting()) {
            return true;
        }
        CloudExport.Report r = CloudExport.of(clients(), securityHub, eventBus, this::exportContext)
                .export(all, due, Wiring.ruleInfo(rules));
        r.done().forEach(err::println);
        r.warnings().forEach(w -> err.println("warning: " + TerminalText.escape(w)));
        r.failures().forEach(f -> err.println("error: " + TerminalText.escape(f)));
        return r.failures().isEmpty();
    }

    /** A cost line for the scan: what Logs Insights billed for the batch of {@code rulesRun} rules. */
    public String costLine(io.ekslookout.detect.BatchResult batch, int rulesRun) {
        io.ekslookout.detect.ScanStats s = batch.scan();
        int clusters = targets().size();
        return String.format(java.util.Locale.ROOT, "Logs Insights: %d queries, %d records and %.1f MB scanned in "
                        + "%.1f s (%s%s)", s.queriesStarted(), s.recordsScanned(), s.bytesScanned() / 1e6,
                s.duration().toMillis() / 1000.0, clusters > 1 ? clusters + " clusters; " : "",
                ScanCost.of(batch, rulesRun).describe());
    }
}
