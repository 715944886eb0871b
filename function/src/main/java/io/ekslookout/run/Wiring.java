package io.ekslookout.run;

import io.ekslookout.aws.AuditHealth;
import io.ekslookout.aws.AwsClients;
import io.ekslookout.aws.InsightsBackend;
import io.ekslookout.aws.LogTarget;
import io.ekslookout.aws.SdkInsightsApi;
import io.ekslookout.aws.Ticker;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.PlannedBackend;
import io.ekslookout.detect.QueryBackend;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.notify.MessageBuilder;
import io.ekslookout.notify.Notifier;
import io.ekslookout.notify.Redactor;
import io.ekslookout.notify.RuleInfo;
import io.ekslookout.notify.SnsPublisher;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import io.ekslookout.rules.Severity;
import io.ekslookout.schedule.WindowPlanner;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Puts the parts together the same way for the Lambda and the CLI: the Logs Insights back end, the detector, the
 * notifier, the exports, the alert state. No logic of its own beyond choosing parts; the Lambda's handler and the
 * CLI's commands only read their settings (environment, options) and call these.
 */
public final class Wiring {
    private Wiring() {
    }

    /** The rules to run: RULES_DIR when set, else the rules bundled in the jar; only those at/above minSeverity. */
    public static List<Rule> loadRules(String rulesDir, String minSeverity) throws RuleValidationException {
        RuleSet set = rulesDir == null ? RuleLoader.loadClasspath("rules") : RuleLoader.loadDirectory(Path.of(rulesDir));
        Severity min = Severity.parse(minSeverity);
        return set.enabledRules().stream().filter(r -> min == null || r.severity().atLeast(min)).toList();
    }

    /** A Logs Insights back end over the target with these settings. */
    public static InsightsBackend insights(CloudWatchLogsClient logs, LogTarget target,
                                           InsightsBackend.Settings settings) {
        return insights(logs, List.of(target), settings);
    }

    /** A Logs Insights back end over the targets with these settings. */
    public static InsightsBackend insights(CloudWatchLogsClient logs, List<LogTarget> targets,
                                           InsightsBackend.Settings settings) {
        return new InsightsBackend(new SdkInsightsApi(logs), targets, settings, Ticker.SYSTEM);
    }

    /**
     * The back end the rules of a run over {@code targets} go to, one batch for all clusters. One target: by
     * default the planned one over Logs Insights (one prefilter query for every plannable rule, every rule's full
     * query evaluated locally on the events it returns: each byte scanned once per run instead of once per rule),
     * or without {@code plan} Logs Insights itself, one query per rule (CLI {@code --no-plan}, Lambda
     * {@code PLAN=false}: the former path, for comparison). Several: planned, ONE prefilter query per 50
     * log groups for all of them (their names, or ARNs for linked source accounts), the events split by {@code @log}
     * into clusters and each rule evaluated per cluster; the rules the planner leaves separate, and every rule
     * without {@code plan}, run on each cluster alone. Each outcome of several clusters names its cluster, and so
     * does every finding made from it.
     */
    public static QueryBackend rulesBackend(CloudWatchLogsClient logs, List<LogTarget> targets,
                                            InsightsBackend.Settings settings, boolean plan) {
        if (targets.size() == 1) {
            InsightsBackend insights = insights(logs, targets, settings);
            return plan ? new PlannedBackend(insights) : insights;
        }
        if (!plan) {
            Map<String, QueryBackend> each = new LinkedHashMap<>();
            targets.forEach(t -> each.put(t.displayName(), insights(logs, t, settings)));
            return new io.ekslookout.detect.EachCluster(each);
        }
        List<PlannedBackend.Cluster> clusters = targets.stream().map(t -> new PlannedBackend.Cluster(
                t.displayName(), t.logGroup(), insights(logs, t, settings))).toList();
        return new PlannedBackend(insights(logs, targets, settings), clusters);
    }

    /** What notifications need to know about each rule. */
    public static Map<String, RuleInfo> ruleInfo(List<Rule> rules) {
        return rules.stream().collect(Collectors.toMap(Rule::id, Wiring::ruleInfo, (a, b) -> a, LinkedHashMap::new));
    }

    /** What notifications need to know about one rule. */
    public static RuleInfo ruleInfo(Rule r) {
        return new RuleInfo(r.id(), r.title(), r.severity().label(), r.description(), r.runbook(), r.queryText(),
                r.tags(), r.summary(), r.threshold() == null ? null : new RuleInfo.Limit(r.threshold().column(),
                r.threshold().op().symbol(), r.threshold().value()));
    }

    /** The notifier publishing to an SNS topic, exactly as the Lambda does. */
    public static Notifier notifier(AwsClients clients, String topicArn, LogTarget target, boolean redactBodies,
                                    int digestThreshold) {
        return notifier(clients, topicArn, List.of(target), redactBodies, digestThreshold);
    }

    /**
     * As above for several clusters: run-wide messages (digest of several clusters, health) name the deployment
     * ({@link #label}), each finding's message its own cluster.
     */
    public static Notifier notifier(AwsClients clients, String topicArn, List<LogTarget> targets, boolean redactBodies,
                                    int digestThreshold) {
        MessageBuilder builder = new MessageBuilder(new MessageBuilder.Context(label(targets),
                targets.get(0).logGroup(), clients.regionName()), new Redactor(redactBodies), 5);
        return new Notifier(builder, new SnsPublisher(clients.sns(), topicArn), digestThreshold);
    }

    /** What a run over these targets is called: the one cluster, or the first and how many more. */
    public static String label(List<LogTarget> targets) {
        String first = targets.get(0).displayName();
        return targets.size() == 1 ? first : first + "-and-" + (targets.size() - 1) + "-more";
    }

    /** Sends a detector report's findings, failed rules and the batch's warnings (CLI --publish). */
    public static Notifier.Report publish(Notifier notifier, DetectionReport report, List<Rule> rules,
                                          List<String> warnings) {
        return notifier.send(report.findings(), ruleInfo(rules), report.ruleErrors(), warnings, report.rulesRun(),
                report.window());
    }

    /** The scheduled run of the Lambda, assembled from its settings: every configured cluster in one run. */
    public static ScheduledRun scheduledRun(ScheduledSettings cfg, AwsClients clients, List<Rule> rules, Consumer<String> log) {
        CloudWatchLogsClient logs = clients.logs();
        AuditHealth health = new AuditHealth(logs);
        ScheduledRun.Detect detect = new ScheduledRun.Detect() {
            @Override
            public ScheduledRun.Detection run(TimeWindow range, TimeWindow ingestion, java.time.Instant deadline) {
                return run(range, ingestion, deadline, List.of());
            }

            @Override
            public ScheduledRun.Detection run(TimeWindow range, TimeWindow ingestion, java.time.Instant deadline,
                                              List<String> skip) {
                // a cluster whose log group is missing is left out (a query naming it would fail for all); the
                // health check names it
                List<LogTarget> live = cfg.targets().stream().filter(t -> !skip.contains(t.displayName())).toList();
                QueryBackend backend = rulesBackend(logs, live, InsightsBackend.Settings.defaults()
                        .withMaxConcurrent(cfg.maxConcurrentQueries()), cfg.plan());
                Detector.Detection d = new Detector(backend, Detector.DEFAULT_ROW_CAP,
                        live.size() == 1 ? live.get(0).cluster() : null).detect(rules, range, ingestion, deadline);
                DetectionReport r = d.report();
                List<String> warnings = new java.util.ArrayList<>(d.batch().warnings());
                warnings.addAll(r.warnings()); // events a rule could not evaluate, caps reached: in the run log
                // what Logs Insights billed (the prefilter's bytes are no rule's own): from the batch
                ScanCost cost = ScanCost.of(d.batch(), r.rulesRun());
                return new ScheduledRun.Detection(r.findings(), r.ruleErrors(), r.rulesRun(), cost.bytesScanned(),
                        cost.recordsScanned(), warnings, r.stats(), cost);
            }
        };
        CloudExport export = CloudExport.of(clients, cfg.securityHub(), cfg.eventBus(), exportContext(clients,
                cfg.targets()));
        ScheduledRun.Exporter exporter = export == null ? ScheduledRun.Exporter.NONE : export::export;
        return new ScheduledRun(cfg.label(), new WindowPlanner(cfg.scanMode(), cfg.period(),
                cfg.settleDelay(), cfg.lookback(), cfg.scanDelay()), cfg.minSeverity(), notifier(clients,
                cfg.topicArn(), cfg.targets(), cfg.redactBodies(), cfg.digestThreshold()), ruleInfo(rules), detect,
                now -> health.checkAll(cfg.targets(), now, cfg.auditSilence()), log, Clock.systemUTC(), exporter)
                .withState(alertState(clients, cfg.stateTable(), cfg.renotifyAfter(), rules));
    }

    /** The alert state of a DynamoDB table, or null without one. */
    public static io.ekslookout.state.AlertState alertState(AwsClients clients, String stateTable,
                                                            java.time.Duration renotifyAfter, List<Rule> rules) {
        if (stateTable == null) {
            return null;
        }
        return new io.ekslookout.state.AlertState(io.ekslookout.aws.DynamoStateStore.of(clients, stateTable),
                renotifyAfter, io.ekslookout.state.AlertState.periodsOf(rules));
    }

    /**
     * Where the findings come from, for the exports: resolved at the first export (the account through STS
     * GetCallerIdentity, which needs no permission), then kept for the life of the function instance.
     */
    public static java.util.function.Supplier<io.ekslookout.export.ExportContext> exportContext(AwsClients clients,
                                                                                        List<LogTarget> targets) {
        io.ekslookout.export.ExportContext[] known = new io.ekslookout.export.ExportContext[1];
        return () -> {
            synchronized (known) {
                if (known[0] == null) {
                    known[0] = exportContext(targets, clients.regionName(), clients.accountId());
                }
                return known[0];
            }
        };
    }

    /**
     * Where findings of these targets come from: the run's name, the first log group, the region and account, and
     * the account of each cluster given as another account's log group ARN (its cluster ARN names that account).
     */
    public static io.ekslookout.export.ExportContext exportContext(List<LogTarget> targets, String region,
                                                                   String account) {
        Map<String, String> accounts = new LinkedHashMap<>();
        for (LogTarget t : targets) {
            if (t.cluster() != null && t.account() != null) {
                accounts.put(t.cluster(), t.account());
            }
        }
        return new io.ekslookout.export.ExportContext(label(targets), targets.get(0).logGroup(), region, account,
                accounts);
    }
}
