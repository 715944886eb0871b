package io.ekslookout.lambda;

import io.ekslookout.aws.LogTarget;
import io.ekslookout.settings.ClusterSource;
import io.ekslookout.schedule.ScanMode;
import io.ekslookout.settings.RunSettings;
import io.ekslookout.settings.Setting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The function's configuration, read from environment variables once at cold start and validated in one place:
 * every problem is reported at once, each naming its variable, what it got and what it expects. Durations are
 * ISO-8601 ({@code PT5M}) or a number and a unit ({@code 5m}, {@code 90s}, {@code 1h}), as in the CDK context.
 *
 * <pre>
 * CLUSTERS                        the clusters to watch, separated by commas: names (/aws/eks/NAME/cluster in this
 *                                 account) and/or control-plane log group ARNs of linked source accounts
 *                                 (arn:aws:logs:REGION:ACCOUNT:log-group:/aws/eks/NAME/cluster)
 * CLUSTER_NAME or LOG_GROUP_NAME  one cluster, or one log group (LOG_GROUP_NAME wins when both are set); give
 *                                 one of CLUSTERS, CLUSTER_NAME, LOG_GROUP_NAME
 * TOPIC_ARN                       the SNS topic for findings (required; a standard topic, not FIFO)
 * RULES_DIR                       a directory of rule YAML; unset: the rules bundled in the jar
 * PERIOD          PT5M            the schedule's period (whole minutes dividing a day; must match the EventBridge rate)
 * SETTLE_DELAY    PT2M            how long after a tick the window closes (ingestion lag; under PERIOD, at most 1 h)
 * LOOKBACK        PT15M           how far event time reaches back before the ingestion window (at most 1 day)
 * SCAN_MODE       ingestion       ingestion: tile ingestion time, scan LOOKBACK further back; event-time: tile event
 *                                 time SCAN_DELAY behind each tick, each byte scanned once (io.ekslookout.schedule)
 * SCAN_DELAY      PT10M           event-time mode: events delivered later than this may be missed (1 min to 1 day)
 * MIN_SEVERITY    low             findings below this are not sent
 * MAX_CONCURRENT_QUERIES 10       Logs Insights queries running at once (1 to 100)
 * DIGEST_THRESHOLD 10             more findings than this in one run: one digest instead (1 to 1000)
 * AUDIT_SILENCE   PT3H            warn when no kube-apiserver-audit events arrived for this long (1 h to 7 days)
 * REDACT_BODIES   true            redact request/response bodies in notifications (Secret data always is)
 * SECURITY_HUB    false           also import findings into Security Hub (the account's default product)
 * EVENT_BUS                       also send findings to this EventBridge bus (name or ARN; 'default')
 * PLAN            true            one planned prefilter query for all rules (false: one query per rule, the former
 *                                 path, for comparison)
 * STATE_TABLE                     DynamoDB table of alert state: a finding is notified once per RENOTIFY_AFTER
 * RENOTIFY_AFTER  PT24H           with STATE_TABLE: how long a notified finding (or failing rule) stays quiet
 * AWS_REGION                      set by Lambda
 * </pre>
 */
public record Config(List<LogTarget> targets, String topicArn, String rulesDir, Duration period, Duration settleDelay,
                     Duration lookback, String minSeverity, int maxConcurrentQueries, int digestThreshold,
                     Duration auditSilence, boolean redactBodies, String region, boolean securityHub,
                     String eventBus, boolean plan, String stateTable, Duration renotifyAfter, ScanMode scanMode,
                     Duration scanDelay) implements io.ekslookout.run.ScheduledSettings {
    /** A DynamoDB table name. */
    static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    /** An EventBridge bus name (or 'default') or a bus ARN, as PutEvents takes it. */
    public static final java.util.regex.Pattern BUS = java.util.regex.Pattern.compile(
            "[/.\\-_A-Za-z0-9]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[/.\\-_A-Za-z0-9]{1,256}");


    public Config {
        targets = List.copyOf(targets);
    }

    /** The first (for one cluster: the) target. */
    public LogTarget target() {
        return targets.get(0);
    }

    /**
     * What this deployment is called in its metrics (dimension Cluster), alarms and run-wide messages: the one
     * cluster (or log group), or the first cluster and how many more ({@link ClusterSource#label}, as the CDK app
     * names it).
     */
    public String label() {
        return targets.size() == 1 ? target().displayName()
                : target().displayName() + "-and-" + (targets.size() - 1) + "-more";
    }

    /** Severity labels, lowest first. */
    static final List<String> SEVERITIES = RunSettings.SEVERITIES;

    /** Invalid configuration: the message lists every problem, one per line. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(List<String> problems) {
            super("eks-lookout configuration is invalid (environment variables):\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /**
     * Reads and checks the environment. The scheduling, limits, cluster and topic are checked by
     * {@link RunSettings#check} (the very check {@code cdk synth} applies to its context); the variables only the
     * Lambda has (LOG_GROUP_NAME, RULES_DIR, REDACT_BODIES) are checked here. Every problem is reported at once.
     */
    public static Config fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String cluster = blankToNull(env.get("CLUSTER_NAME"));
        String group = blankToNull(env.get("LOG_GROUP_NAME"));
        String clusters = blankToNull(env.get("CLUSTERS"));
        if (cluster == null && group == null && clusters == null) {
            problems.add("CLUSTERS, CLUSTER_NAME or LOG_GROUP_NAME: one is required (the clusters whose control-plane"
                    + " logs to read, one cluster, or its log group /aws/eks/<cluster>/cluster)");
        }
        if (clusters != null && group != null) {
            problems.add("LOG_GROUP_NAME: give CLUSTERS or LOG_GROUP_NAME, not both");
        }
        String topic = blankToNull(env.get("TOPIC_ARN"));
        if (topic == null) {
            problems.add("TOPIC_ARN: required (the SNS topic ARN findings are published to)");
        }
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String v = env.get(s.name());
            if (v != null) {
                raw.put(s, v);
            }
        }
        RunSettings.Checked checked = RunSettings.check(raw);
        checked.problems().forEach(p -> problems.add(p.text()));
        String redact = env.getOrDefault("REDACT_BODIES", "true").trim().toLowerCase(Locale.ROOT);
        if (!redact.equals("true") && !redact.equals("false")) {
            problems.add("REDACT_BODIES: '" + env.get("REDACT_BODIES") + "' must be true or false");
        }
        String plan = env.getOrDefault("PLAN", "true").trim().toLowerCase(Locale.ROOT);
        if (!plan.equals("true") && !plan.equals("false")) {
            problems.add("PLAN: '" + env.get("PLAN") + "' must be true or false");
        }
        String rulesDir = blankToNull(env.get("RULES_DIR"));
        String hub = env.getOrDefault("SECURITY_HUB", "false").trim().toLowerCase(Locale.ROOT);
        if (!hub.equals("true") && !hub.equals("false")) {
            problems.add("SECURITY_HUB: '" + env.get("SECURITY_HUB") + "' must be true or false");
        }
        String bus = blankToNull(env.get("EVENT_BUS"));
        if (bus != null && !BUS.matcher(bus).matches()) {
            problems.add("EVENT_BUS: '" + bus + "' is not an EventBridge bus name (letters, digits, . - _ /) or a bus"
                    + " ARN");
        }
        String table = blankToNull(env.get("STATE_TABLE"));
        if (table != null && !TABLE.matcher(table).matches()) {
            problems.add("STATE_TABLE: '" + table + "' is not a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)");
        }
        Duration renotify = io.ekslookout.state.AlertState.DEFAULT_RENOTIFY;
        String rn = blankToNull(env.get("RENOTIFY_AFTER"));
        if (rn != null) {
            try {
                renotify = Duration.parse(rn.toUpperCase(Locale.ROOT));
                if (renotify.isNegative()) {
                    problems.add("RENOTIFY_AFTER: '" + rn + "' must not be negative");
                }
            } catch (java.time.format.DateTimeParseException e) {
                problems.add("RENOTIFY_AFTER: '" + rn + "' is not an ISO-8601 duration such as PT24H");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        RunSettings s = checked.settings();
        List<LogTarget> targets = new ArrayList<>();
        if (group != null) {
            LogTarget target = LogTarget.forLogGroup(group);
            if (cluster != null && target.cluster() == null) {
                target = new LogTarget(group, cluster);
            }
            targets.add(target);
        } else {
            s.clusters().forEach(c -> targets.add(LogTarget.of(c)));
        }
        String region = blankToNull(env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION")));
        return new Config(targets, topic, rulesDir, s.period(), s.settleDelay(), s.lookback(), s.minSeverity(),
                s.maxConcurrentQueries(), s.digestThreshold(), s.auditSilence(), redact.equals("true"), region,
                hub.equals("true"), bus, !plan.equals("false"), table, renotify, s.scanMode(), s.scanDelay());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
