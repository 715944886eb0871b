package io.ekslookout.cli;

import io.ekslookout.aws.AwsClients;
import io.ekslookout.aws.AwsErrors;
import io.ekslookout.aws.InsightsBackend;
import io.ekslookout.aws.LogTarget;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.PlannedBackend;
import io.ekslookout.detect.QueryBackend;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.lambda.ScanCost;
import io.ekslookout.lambda.Wiring;
import io.ekslookout.export.ExportContext;
import io.ekslookout.lambda.CloudExport;
import io.ekslookout.notify.Notifier;
import io.ekslookout.rules.Rule;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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
public final class CloudOptions {
    /** Without --since, a cloud scan covers the last hour (a local scan reads the whole input). */
    public static final Duration DEFAULT_SPAN = Duration.ofHours(1);

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "Scan the EKS cluster's control-plane logs (/aws/eks/NAME/cluster) with Logs Insights.")
    String cluster;

    @Option(names = "--log-group", paramLabel = "NAME",
            description = "Scan this CloudWatch Logs group with Logs Insights.")
    String logGroup;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region (default: the SDK's chain: AWS_REGION, profile).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "AWS profile of ~/.aws/config and ~/.aws/credentials for credentials and region"
                    + " (default: the SDK's chain: AWS_PROFILE, environment keys, SSO, instance role).")
    String profile;

    @Option(names = "--throttle-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "Give up (exit 3) when Logs Insights has throttled every call for this long."
                    + " Default: ${DEFAULT-VALUE}.")
    String throttleTimeout;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send AWS calls here (moto, LocalStack) instead of AWS.")
    URI endpoint;

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

    private AwsClients clients;
    /** Messages the last {@link #publish} sent. */
    int lastPublished;
    private InsightsBackend backend;
    private PlannedBackend planned;
    private int rulesRun;

    /** True when the scan reads CloudWatch Logs instead of local files. */
    public boolean cloud() {
        return cluster != null || logGroup != null;
    }

    /** The event bus of --event-bus, or null. */
    String eventBus() {
        return eventBus;
    }

    public String publishTopic() {
        return publishTopic;
    }

    /** Checks the combination of options; returns an error message or null. */
    public String check(boolean localLogsGiven) {
        if (cluster != null && logGroup != null) {
            return "give --cluster or --log-group, not both";
        }
        if (cloud() && localLogsGiven) {
            return "give --logs or --cluster/--log-group, not both";
        }
        if (!cloud() && !localLogsGiven) {
            return "give --logs PATH, --cluster NAME or --log-group NAME";
        }
        if (maxConcurrent < 1 || maxConcurrent > 100) {
            return "--max-concurrent-queries must be 1..100";
        }
        if (eventBus != null && eventBus.isBlank()) {
            return "--event-bus needs a bus name or ARN ('default' for the account's default bus)";
        }
        Duration t = TimeArgs.parseDurationOrNull(throttleTimeout);
        if (t == null || t.isZero() || t.isNegative()) {
            return "--throttle-timeout '" + throttleTimeout + "' is not a duration such as 90s, 5m or 1h";
        }
        return null;
    }

    public LogTarget target() {
        if (logGroup != null) {
            return LogTarget.forLogGroup(logGroup);
        }
        return LogTarget.forCluster(cluster != null ? cluster : "local");
    }

    /**
     * The SDK clients for --region, --endpoint-url and --profile. An unknown profile is a {@link CliCommand.Failure}
     * (exit 2); a missing region surfaces as the SDK's error when a client is built, which the CLI turns into one
     * line naming --region ({@link io.ekslookout.aws.AwsErrors}).
     */
    AwsClients clients() {
        if (clients == null) {
            AwsClients c = new AwsClients(region, endpoint);
            if (profile != null) {
                try {
                    c.withProfile(profile);
                } catch (AwsClients.UnknownProfile e) {
                    throw new CliCommand.Failure("--profile: " + e.getMessage());
                }
            }
            clients = c;
        }
        return clients;
    }

    /** The Logs Insights back end for --cluster/--log-group. */
    public InsightsBackend backend() {
        if (backend == null) {
            backend = Wiring.insights(clients().logs(), target(), maxConcurrent);
            backend.setThrottleLimit(TimeArgs.parseDurationOrNull(throttleTimeout));
        }
        return backend;
    }

    /**
     * Where the rules run for --cluster/--log-group: planned over {@link #backend()} (the default), or Logs
     * Insights itself with --no-plan.
     */
    public QueryBackend rulesBackend() {
        InsightsBackend insights = backend();
        if (planned == null && !noPlan) {
            planned = Wiring.planned(insights, true);
        }
        return noPlan ? insights : planned;
    }

    /** The number of rules the last scan ran (for the cost line's comparison with one query per rule). */
    public void rulesRun(int n) {
        this.rulesRun = n;
    }

    /** The problem that stopped the last cloud batch before its end (every call would fail so), or null. */
    public AwsErrors.Problem stoppedBy() {
        return backend == null ? null : backend.stoppedBy();
    }

    /** The window a cloud scan covers: the requested one, or the last hour when none was given. */
    public TimeWindow window(Instant since, Instant until, Instant now) {
        Instant end = until != null ? until : now;
        Instant start = since != null ? since : end.minus(DEFAULT_SPAN);
        return new TimeWindow(start, end);
    }

    /** Publishes the report to --publish; prints what was sent; returns false when a publish failed. */
    public boolean publish(DetectionReport report, List<Rule> rules, PrintWriter err) {
        lastPublished = 0;
        List<String> warnings = backend == null ? List.of() : backend.warnings();
        Notifier notifier = Wiring.notifier(clients(), publishTopic, target(), true, digestThreshold);
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
            LogTarget t = target();
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
            exportContext = new ExportContext(t.displayName(), t.logGroup(), regionName, account);
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

    /** A cost line for the scan: what Logs Insights billed. */
    public String costLine() {
        if (backend == null) {
            return null;
        }
        InsightsBackend.RunStats s = backend.lastRun();
        return String.format(java.util.Locale.ROOT, "Logs Insights: %d queries, %d records and %.1f MB scanned in "
                        + "%.1f s (%s)", s.queriesStarted(), s.recordsScanned(), s.bytesScanned() / 1e6,
                s.duration().toMillis() / 1000.0, ScanCost.of(backend, planned, rulesRun).describe());
    }
}
