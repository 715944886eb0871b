package io.ekslookout.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.aws.AuditHealth;
import io.ekslookout.detect.Finding;
import io.ekslookout.schedule.WindowPlanner;
import io.ekslookout.state.AlertState;
import io.ekslookout.detect.QueryStats;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.notify.Notifier;
import io.ekslookout.notify.RuleInfo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One scheduled run, start to end: plan the windows from the schedule's time, check the log group and audit
 * logging (free), run the rules, keep findings at or above the minimum severity, publish, and log one JSON line
 * that is also a CloudWatch Embedded Metric Format record (metrics Findings, RuleErrors, BytesScanned in namespace
 * EksLookout, dimension Cluster). Throws {@link NoRuleRan} only when no rule could run, so Lambda retries and
 * error alarms act on real outages, not on one broken rule; and {@link PublishFailed} when SNS refused a message,
 * so the retry sends it. An exception from the health check or the rules is logged (field {@code error}) and
 * announced in a health message before it is rethrown.
 *
 * <p>What a retry re-sends: Lambda retries a failed asynchronous invocation (up to twice by default) with the same
 * event, so the same tick, the same windows and (the logs being immutable) the same findings. Nothing remembers
 * what the failed attempt sent, so the retry publishes every message again: findings that did go out arrive a
 * second time (same subject and Chatbot threadId, so Slack threads them), along with the one that failed and the
 * health message. A finding is never lost to a passing SNS outage, at the price of duplicates; when every attempt
 * fails the event goes to the function's dead-letter queue.
 *
 * <p>With alert state (STATE_TABLE, {@link #withState}) the run claims each due finding in DynamoDB before it
 * publishes, so the retry finds the claims and sends nothing twice. When not one finding message went out the
 * claims are released and the retry sends them all; after a partial publish they stay, and what failed is named in
 * the health message and the log line and is notified again after its renotify period. A state table that cannot
 * be reached fails open: the run notifies everything and says so in its warnings.
 */
public final class ScheduledRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What running the rules produced (filled from the detector's report); perRule may be empty; cost (what Logs
     * Insights scanned compared with one query per rule) may be null when unknown.
     */
    public record Detection(List<Finding> findings, Map<String, String> ruleErrors, int rulesRun, long bytesScanned,
                            long recordsScanned, List<String> warnings, Map<String, QueryStats> perRule,
                            ScanCost cost) {
        public Detection(List<Finding> findings, Map<String, String> ruleErrors, int rulesRun, long bytesScanned,
                         long recordsScanned, List<String> warnings) {
            this(findings, ruleErrors, rulesRun, bytesScanned, recordsScanned, warnings, Map.of(), null);
        }

        public Detection(List<Finding> findings, Map<String, String> ruleErrors, int rulesRun, long bytesScanned,
                         long recordsScanned, List<String> warnings, Map<String, QueryStats> perRule) {
            this(findings, ruleErrors, rulesRun, bytesScanned, recordsScanned, warnings, perRule, null);
        }
    }

    /** Runs the rules over a window, stopping at the deadline. */
    public interface Detect {
        Detection run(TimeWindow timeRange, TimeWindow ingestion, Instant deadline);

        /**
         * As above, leaving out the clusters named in {@code skip} (their log group is missing: a query naming it
         * would fail for every cluster of its batch).
         */
        default Detection run(TimeWindow timeRange, TimeWindow ingestion, Instant deadline, List<String> skip) {
            return run(timeRange, ingestion, deadline);
        }
    }

    /** The free health check. */
    public interface Health {
        AuditHealth.Result check(Instant now);
    }

    /** Sends the kept findings to Security Hub / EventBridge (see {@link CloudExport}). */
    public interface Exporter {
        /** Security Hub gets {@code all} findings (a repeat updates LastObservedAt), EventBridge the {@code due}. */
        CloudExport.Report export(List<Finding> all, List<Finding> due, Map<String, RuleInfo> rules);

        default CloudExport.Report export(List<Finding> findings, Map<String, RuleInfo> rules) {
            return export(findings, findings, rules);
        }

        Exporter NONE = (all, due, rules) -> CloudExport.Report.NONE;
    }

    /** The invocation must fail: no rule could run. */
    public static final class NoRuleRan extends RuntimeException {
        public NoRuleRan(String message) {
            super(message);
        }
    }

    /** The invocation must fail: a notification could not be sent (Lambda retries the same tick). */
    public static final class PublishFailed extends RuntimeException {
        public PublishFailed(String message) {
            super(message);
        }
    }

    /** What a run did (also the handler's response). */
    public record Summary(Instant tick, TimeWindow ingestion, TimeWindow timeRange, int rulesRun, int ruleErrors,
                          int findings, int findingsBelowMinSeverity, int published, int publishFailures,
                          long bytesScanned, long recordsScanned, String health, long durationMillis) {
        /**
         * Writes the run's tick and windows into {@code n} (the handler's response and the run's log line); an
         * event-time run has no ingestion window, so no ingestionStart/End.
         */
        public void putWindows(ObjectNode n) {
            n.put("tick", tick.toString());
            if (ingestion != null) {
                n.put("ingestionStart", ingestion.start().toString());
                n.put("ingestionEnd", ingestion.end().toString());
            }
            n.put("timeRangeStart", timeRange.start().toString());
            n.put("timeRangeEnd", timeRange.end().toString());
        }
    }

    /** The deployment's name: its one cluster, or the first and how many more (metrics dimension Cluster). */
    private final String cluster;
    private final WindowPlanner planner;
    private final String minSeverity;
    private final Notifier notifier;
    private final Map<String, RuleInfo> rules;
    private final Detect detect;
    private final Health health;
    private final Consumer<String> log;
    private final Clock clock;
    private final Exporter exporter;
    private AlertState state;

    public ScheduledRun(String cluster, WindowPlanner planner, String minSeverity, Notifier notifier,
                        Map<String, RuleInfo> rules, Detect detect, Health health, Consumer<String> log, Clock clock) {
        this(cluster, planner, minSeverity, notifier, rules, detect, health, log, clock, Exporter.NONE);
    }

    public ScheduledRun(String cluster, WindowPlanner planner, String minSeverity, Notifier notifier,
                        Map<String, RuleInfo> rules, Detect detect, Health health, Consumer<String> log, Clock clock,
                        Exporter exporter) {
        this.exporter = exporter;
        this.cluster = cluster;
        this.planner = planner;
        this.minSeverity = minSeverity;
        this.notifier = notifier;
        this.rules = rules;
        this.detect = detect;
        this.health = health;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Keeps alert state across runs (STATE_TABLE): findings and failing rules notified within their renotify period
     * are counted and sent to Security Hub but not to SNS or EventBridge. Without it every run notifies everything.
     */
    public ScheduledRun withState(AlertState state) {
        this.state = state;
        return this;
    }

    /**
     * Runs once. Whatever happens in between, the run's log line and (when something went wrong) a health message
     * go out: an exception from the health check or the rules is caught, reported in both as the run's error, and
     * rethrown afterwards so the invocation fails as before and Lambda retries the tick.
     */
    public Summary run(Instant scheduledTime, Instant deadline) {
        Instant began = clock.instant();
        WindowPlanner.Plan plan = planner.plan(scheduledTime);
        Throwable failure = null;
        AuditHealth.Result h = null;
        Detection d = null;
        List<String> warnings = new ArrayList<>();
        try {
            h = health.check(began);
            if (h.status() == AuditHealth.Status.LOG_GROUP_MISSING) {
                Map<String, String> errors = new LinkedHashMap<>();
                errors.put("(all rules)", h.message());
                d = new Detection(List.of(), errors, rules.size(), 0, 0, List.of());
            } else {
                // Audit silence is reported in every log line but notified once an hour, not every run; a cluster
                // whose log group is missing (others run) is notified every run, as one cluster's missing group is.
                if (h.status() != AuditHealth.Status.OK
                        && (firstRunOfTheHour(plan.tick()) || !h.missing().isEmpty())) {
                    warnings.add(h.message());
                }
                d = detect.run(plan.timeRange(), plan.ingestion(), deadline, h.missing());
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            failure = e;
            Map<String, String> errors = new LinkedHashMap<>();
            errors.put("(run)", "the run failed before its findings could be known, so no rule's detections were "
                    + "checked in this window: " + e.getClass().getSimpleName() + ": " + Notifier.describe(e));
            d = new Detection(List.of(), errors, rules.size(), 0, 0, List.of());
        }
        warnings.addAll(d.warnings());
        int min = io.ekslookout.settings.RunSettings.SEVERITIES.indexOf(minSeverity);
        List<Finding> kept = d.findings().stream()
                .filter(f -> io.ekslookout.settings.RunSettings.SEVERITIES.indexOf(f.severity()) >= min).toList();
        List<Finding> due = kept;
        Map<String, String> dueErrors = d.ruleErrors();
        AlertState.Decision decision = null;
        if (state != null) {
            try {
                decision = state.decide(kept, d.ruleErrors(), cluster, plan.timeRange().end(), clock.instant());
                due = decision.due();
                dueErrors = decision.dueErrors();
            } catch (RuntimeException e) {
                // fail open: a state table outage must not silence alerts; this run notifies everything
                warnings.add("alert state unavailable, every finding is notified this run: " + Notifier.describe(e));
            }
        }
        // Security Hub / EventBridge first, so the health message can name what they refused.
        CloudExport.Report exported;
        try {
            exported = exporter.export(kept, due, rules);
        } catch (RuntimeException | StackOverflowError e) {
            exported = new CloudExport.Report(List.of(), List.of("export: " + Notifier.describe(e)), List.of());
        }
        exported.failures().forEach(f -> warnings.add("not exported: " + f));
        Notifier.Report sent;
        try {
            sent = notifier.send(due, rules, dueErrors, warnings, d.rulesRun(), plan.timeRange(),
                    plan.ingestion());
        } catch (RuntimeException | StackOverflowError e) {
            // the notifier isolates every message; this is a last resort so the log line still goes out
            sent = new Notifier.Report(0, 0, false, false, List.of("notifier: " + Notifier.describe(e)));
        }
        if (decision != null && !decision.claims().isEmpty() && nothingDelivered(sent, due.size())) {
            try {
                state.release(decision); // the retry or the next run sends them
            } catch (RuntimeException e) {
                warnings.add("alert state: the claims of an undelivered run could not be released: "
                        + Notifier.describe(e));
            }
        }
        long ms = Duration.between(began, clock.instant()).toMillis();
        boolean groupMissing = h != null && h.status() == AuditHealth.Status.LOG_GROUP_MISSING;
        boolean allFailed = d.rulesRun() == 0 || d.ruleErrors().size() >= d.rulesRun() || groupMissing;
        String healthText = h == null ? "UNKNOWN (the health check failed)"
                : h.status() + (h.message() == null ? "" : ": " + h.message());
        Summary s = new Summary(plan.tick(), plan.ingestion(), plan.timeRange(), d.rulesRun(),
                groupMissing || failure != null ? d.rulesRun() : d.ruleErrors().size(), kept.size(),
                d.findings().size() - kept.size(), sent.sent(), sent.failures().size(), d.bytesScanned(),
                d.recordsScanned(), healthText, ms);
        log.accept(logLine(s, d, sent, began, failure, exported, h));
        if (failure instanceof RuntimeException re) {
            throw re;
        } else if (failure instanceof Error err) {
            throw err;
        }
        if (allFailed) {
            throw new NoRuleRan("no rule could run for " + cluster + ": " + (d.ruleErrors().isEmpty()
                    ? "no enabled rules" : d.ruleErrors().values().iterator().next()));
        }
        if (!exported.failures().isEmpty()) {
            // Lambda retries the tick: Security Hub re-imports the same Ids (an update), EventBridge sends again.
            throw new PublishFailed(exported.failures().size() + " finding(s) could not be exported for " + cluster
                    + ": " + exported.failures().get(0));
        }
        if (!sent.failures().isEmpty()) {
            // Fail so Lambda retries the same tick (same windows): a finding is never lost to an SNS outage, at
            // the price of repeating the messages that did go out (see the class comment).
            throw new PublishFailed(sent.failures().size() + " notification(s) could not be published for " + cluster
                    + ": " + sent.failures().get(0));
        }
        return s;
    }

    /**
     * True when not one finding message (nor, without findings, the health message) reached SNS: the run's claims
     * are then given back. After a partial publish they stay, so the retry does not send again what went out.
     */
    static boolean nothingDelivered(Notifier.Report sent, int dueFindings) {
        long failedFindingMessages = sent.failures().stream()
                .filter(f -> f.startsWith("finding ") || f.startsWith("digest ")).count();
        int attempted = dueFindings == 0 ? 0 : sent.digest() ? 1 : dueFindings;
        if (attempted > 0) {
            return failedFindingMessages >= attempted;
        }
        return sent.sent() == 0 && !sent.failures().isEmpty();
    }

    private boolean firstRunOfTheHour(Instant tick) {
        long intoHour = Math.floorMod(tick.toEpochMilli(), 3_600_000L);
        return intoHour < planner.period().toMillis();
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The run's JSON line: a structured log record and an EMF metrics record at once. */
    String logLine(Summary s, Detection d, Notifier.Report sent, Instant began, Throwable failure) {
        return logLine(s, d, sent, began, failure, CloudExport.Report.NONE);
    }

    String logLine(Summary s, Detection d, Notifier.Report sent, Instant began, Throwable failure,
                   CloudExport.Report exported) {
        return logLine(s, d, sent, began, failure, exported, null);
    }

    String logLine(Summary s, Detection d, Notifier.Report sent, Instant began, Throwable failure,
                   CloudExport.Report exported, AuditHealth.Result h) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", began.toEpochMilli());
        ObjectNode cw = aws.putArray("CloudWatchMetrics").addObject();
        cw.put("Namespace", "EksLookout");
        cw.putArray("Dimensions").addArray().add("Cluster");
        ArrayNode metrics = cw.putArray("Metrics");
        metrics.addObject().put("Name", "Findings").put("Unit", "Count");
        metrics.addObject().put("Name", "RuleErrors").put("Unit", "Count");
        metrics.addObject().put("Name", "BytesScanned").put("Unit", "Bytes");
        if (d.cost() != null) {
            // how many times this run scanned its window, and how many times one query per rule would have
            metrics.addObject().put("Name", "ScanPasses").put("Unit", "None");
            metrics.addObject().put("Name", "ScanPassesOneQueryPerRule").put("Unit", "None");
            // how many times each byte of logs is scanned across runs at this run's rate (the scan mode's factor)
            metrics.addObject().put("Name", "ScanMultiplier").put("Unit", "None");
        }
        root.put("Cluster", cluster);
        root.put("Findings", s.findings());
        root.put("RuleErrors", s.ruleErrors());
        root.put("BytesScanned", s.bytesScanned());
        ScanCost c = d.cost();
        double perQuery = planner.scanMultiplier();
        if (c != null) {
            root.put("ScanPasses", round2(c.passes()));
            root.put("ScanPassesOneQueryPerRule", c.passesOneQueryPerRule());
            root.put("ScanMultiplier", round2(c.passes() * perQuery));
            ObjectNode scan = root.putObject("scan");
            scan.put("mode", planner.mode().label());
            // each byte of logs is in this many runs' time ranges: (period + lookback) / period, or 1 (event-time)
            scan.put("runsPerByte", round2(perQuery));
            scan.put("scanMultiplier", round2(c.passes() * perQuery));
            scan.put("scanMultiplierOneQueryPerRule", round2(c.passesOneQueryPerRule() * perQuery));
            scan.put("planned", c.planned());
            scan.put("queries", c.queries());
            scan.put("queriesStarted", c.queriesStarted());
            scan.put("bytesScanned", c.bytesScanned());
            scan.put("bytesOnePass", c.bytesOnePass());
            scan.put("multiplierVsOneQueryPerRule", round2(c.multiplier()));
            scan.put("eventsReturned", c.eventsReturned());
            scan.put("bytesReturned", c.bytesReturned());
        }
        root.put("message", "eks-lookout run");
        root.put("scanMode", planner.mode().label());
        s.putWindows(root);
        root.put("rulesRun", s.rulesRun());
        root.put("findingsBelowMinSeverity", s.findingsBelowMinSeverity());
        root.put("recordsScanned", s.recordsScanned());
        root.put("published", s.published());
        root.put("publishFailures", s.publishFailures());
        root.put("durationMs", s.durationMillis());
        root.put("health", s.health());
        // several clusters: each one's health (one silent or missing is named while the others are fine) and
        // findings (a finding names its cluster)
        if (h != null && !h.clusters().isEmpty()) {
            ObjectNode ch = root.putObject("clusterHealth");
            h.clusters().forEach((name, status) -> ch.put(name, status.name()));
        }
        ObjectNode byCluster = root.putObject("findingsByCluster");
        d.findings().forEach(f -> {
            String in = f.cluster() == null ? cluster : f.cluster();
            byCluster.put(in, byCluster.path(in).asInt(0) + 1);
        });
        // what each rule cost: the rules worth tuning first are the ones scanning the most
        ObjectNode cost = root.putObject("perRule");
        d.perRule().forEach((id, q) -> cost.putObject(id).put("bytesScanned", q.bytesScanned())
                .put("recordsScanned", q.recordsScanned()).put("durationMs", q.duration().toMillis()));
        ObjectNode errors = root.putObject("errors");
        d.ruleErrors().forEach(errors::put);
        if (failure != null) {
            root.put("error", failure.getClass().getName() + ": " + Notifier.describe(failure));
        }
        ArrayNode pf = root.putArray("publishErrors");
        sent.failures().forEach(pf::add);
        ArrayNode shortened = root.putArray("messagesShortened");
        sent.degraded().forEach(shortened::add);
        ArrayNode ex = root.putArray("exported");
        exported.done().forEach(ex::add);
        ArrayNode exErr = root.putArray("exportErrors");
        exported.failures().forEach(exErr::add);
        exported.warnings().forEach(shortened::add);
        ArrayNode w = root.putArray("warnings");
        d.warnings().forEach(w::add);
        return root.toString();
    }
}
