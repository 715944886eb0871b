package io.ekslookout.lambda;

import io.ekslookout.aws.LogTarget;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The function's configuration, read from environment variables once at cold start and validated in one place:
 * every problem is reported at once, each naming its variable, what it got and what it expects.
 *
 * <pre>
 * CLUSTER_NAME or LOG_GROUP_NAME  which control-plane logs to read (LOG_GROUP_NAME wins when both are set)
 * TOPIC_ARN                       the SNS topic for findings (required)
 * RULES_DIR                       a directory of rule YAML; unset: the rules bundled in the jar
 * PERIOD          PT5M            the schedule's period (must match the EventBridge rate)
 * SETTLE_DELAY    PT2M            how long after a tick the window closes (ingestion lag)
 * LOOKBACK        PT15M           how far event time reaches back before the ingestion window
 * MIN_SEVERITY    low             findings below this are not sent
 * MAX_CONCURRENT_QUERIES 10       Logs Insights queries running at once
 * DIGEST_THRESHOLD 10             more findings than this in one run: one digest instead
 * AUDIT_SILENCE   PT3H            warn when no kube-apiserver-audit events arrived for this long
 * REDACT_BODIES   true            redact request/response bodies in notifications (Secret data always is)
 * AWS_REGION                      set by Lambda
 * </pre>
 */
public record Config(LogTarget target, String topicArn, String rulesDir, Duration period, Duration settleDelay,
                     Duration lookback, String minSeverity, int maxConcurrentQueries, int digestThreshold,
                     Duration auditSilence, boolean redactBodies, String region) {

    private static final Pattern TOPIC = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]{1,256}");
    private static final Pattern CLUSTER = Pattern.compile("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}");
    static final List<String> SEVERITIES = List.of("info", "low", "medium", "high", "critical");

    /** Invalid configuration: the message lists every problem, one per line. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(List<String> problems) {
            super("eks-lookout configuration is invalid (environment variables):\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    public static Config fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String cluster = blankToNull(env.get("CLUSTER_NAME"));
        String group = blankToNull(env.get("LOG_GROUP_NAME"));
        LogTarget target = null;
        if (group != null) {
            target = LogTarget.forLogGroup(group);
            if (cluster != null && target.cluster() == null) {
                target = new LogTarget(group, cluster);
            }
        } else if (cluster != null) {
            if (!CLUSTER.matcher(cluster).matches()) {
                problems.add("CLUSTER_NAME: '" + cluster + "' is not an EKS cluster name (letters, digits, - and _, "
                        + "starting with a letter or digit, at most 100)");
            } else {
                target = LogTarget.forCluster(cluster);
            }
        } else {
            problems.add("CLUSTER_NAME or LOG_GROUP_NAME: one is required (the cluster whose control-plane logs to "
                    + "read, or its log group /aws/eks/<cluster>/cluster)");
        }
        String topic = blankToNull(env.get("TOPIC_ARN"));
        if (topic == null) {
            problems.add("TOPIC_ARN: required (the SNS topic ARN findings are published to)");
        } else if (!TOPIC.matcher(topic).matches()) {
            problems.add("TOPIC_ARN: '" + topic + "' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)");
        }
        Duration period = duration(env, "PERIOD", "PT5M", problems);
        Duration settle = duration(env, "SETTLE_DELAY", "PT2M", problems);
        Duration lookback = duration(env, "LOOKBACK", "PT15M", problems);
        if (period != null && (period.compareTo(Duration.ofMinutes(1)) < 0 || period.toSeconds() % 60 != 0
                || Duration.ofDays(1).toSeconds() % period.toSeconds() != 0)) {
            problems.add("PERIOD: " + period + " must be whole minutes, at least PT1M, dividing a day (PT5M, PT10M, "
                    + "PT15M, PT1H, ...) and equal to the schedule's rate");
            period = null;
        }
        if (settle != null && period != null && settle.compareTo(period) > 0) {
            problems.add("SETTLE_DELAY: " + settle + " must not be longer than PERIOD " + period);
        }
        String sev = env.getOrDefault("MIN_SEVERITY", "low").trim().toLowerCase(Locale.ROOT);
        if (!SEVERITIES.contains(sev)) {
            problems.add("MIN_SEVERITY: '" + env.get("MIN_SEVERITY") + "' is not one of " + String.join(", ", SEVERITIES));
        }
        int concurrency = integer(env, "MAX_CONCURRENT_QUERIES", 10, 1, 100, problems);
        int digest = integer(env, "DIGEST_THRESHOLD", 10, 1, 1000, problems);
        Duration silence = duration(env, "AUDIT_SILENCE", "PT3H", problems);
        String redact = env.getOrDefault("REDACT_BODIES", "true").trim().toLowerCase(Locale.ROOT);
        if (!redact.equals("true") && !redact.equals("false")) {
            problems.add("REDACT_BODIES: '" + env.get("REDACT_BODIES") + "' must be true or false");
        }
        String rulesDir = blankToNull(env.get("RULES_DIR"));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        String region = blankToNull(env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION")));
        return new Config(target, topic, rulesDir, period, settle, lookback, sev, concurrency, digest, silence,
                redact.equals("true"), region);
    }

    private static Duration duration(Map<String, String> env, String name, String def, List<String> problems) {
        String v = env.getOrDefault(name, def).trim();
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative()) {
                problems.add(name + ": '" + v + "' must not be negative");
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            problems.add(name + ": '" + v + "' is not an ISO-8601 duration (like " + def + ")");
            return null;
        }
    }

    private static int integer(Map<String, String> env, String name, int def, int min, int max, List<String> problems) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                problems.add(name + ": " + n + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + ": '" + v + "' is not a whole number (default " + def + ")");
            return def;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
