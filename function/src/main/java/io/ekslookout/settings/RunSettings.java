package io.ekslookout.settings;

import io.ekslookout.schedule.ScanMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import static io.ekslookout.settings.SettingsDuration.TOO_LARGE;
import static io.ekslookout.settings.SettingsDuration.show;

/**
 * The scheduled detector's settings, checked in one place: the Lambda checks its environment with it at cold start
 * and the CDK app checks its context with it at synth, so {@code cdk synth} refuses exactly what the deployed
 * function would refuse on every run. Pure (no AWS, no environment): the caller hands in the raw text of each
 * setting and a function naming each setting in the caller's words; the result holds every problem at once.
 *
 * <p>The rules, and why:
 * <ul>
 *   <li>period: whole minutes, at least 1 minute, dividing a day. Runs own the windows {@code [t - period, t)}
 *       with {@code t} floored to the period, so the EventBridge rate must land on those boundaries every day.</li>
 *   <li>settle delay: at least 0, shorter than the period and at most 1 hour. A window closes one settle delay
 *       after its tick; a delay of a period or more means a run scans a window whose successor is already due, and
 *       every finding waits that long (EKS delivers control-plane logs within minutes).</li>
 *   <li>lookback: 0 to 1 day. Each run scans {@code period + lookback} of logs and Logs Insights bills the bytes
 *       scanned, so every byte is scanned {@code (period + lookback) / period} times: 4 with the defaults, 289 with
 *       a 1-day lookback at a 5-minute period. An event delivered a day late is an outage, not lag.</li>
 *   <li>scan mode: {@code ingestion} (tile ingestion time, scan with the lookback) or {@code event-time} (tile
 *       event time the scan delay behind each tick, each byte scanned once); see
 *       {@link io.ekslookout.schedule.WindowPlanner}.</li>
 *   <li>scan delay (D, used in {@code event-time} mode, checked in both so a typo never waits for the switch):
 *       1 minute to 1 day. D is the delivery bound: an event delivered more than D after its timestamp may be
 *       missed, so below a minute routine EKS delivery lag would lose events; every finding waits D + up to one
 *       period, and an event delivered a day late is an outage, not lag. D need not be a multiple of, or exceed,
 *       the period: the windows tile event time whatever D is.</li>
 *   <li>audit silence: 1 hour to 7 days. The warning is sent at most once an hour and counts whole hours; a week
 *       without audit events unnoticed is no check at all.</li>
 *   <li>every duration is parsed without overflow ({@link SettingsDuration}): {@code PT9999999999999999H} is a
 *       value over the limit, not an {@code ArithmeticException} on every run.</li>
 *   <li>the topic is a standard SNS topic: a FIFO topic ({@code ...fifo}) delivers only to SQS, not to email,
 *       HTTPS or AWS Chatbot, and refuses a publish without a message group id.</li>
 * </ul>
 */
public record RunSettings(String clusterName, String topicArn, Duration period, Duration settleDelay,
                          Duration lookback, Duration auditSilence, String minSeverity, int maxConcurrentQueries,
                          int digestThreshold, ScanMode scanMode, Duration scanDelay, List<ClusterSource> clusters) {
    public RunSettings {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    /** Severity labels, lowest first (the rules' severities). */
    public static final List<String> SEVERITIES = List.of("info", "low", "medium", "high", "critical");
    public static final Duration MAX_SETTLE_DELAY = Duration.ofHours(1);
    public static final Duration MAX_LOOKBACK = Duration.ofDays(1);
    public static final Duration MIN_SCAN_DELAY = Duration.ofMinutes(1);
    public static final Duration MAX_SCAN_DELAY = Duration.ofDays(1);
    public static final Duration MIN_AUDIT_SILENCE = Duration.ofHours(1);
    public static final Duration MAX_AUDIT_SILENCE = Duration.ofDays(7);
    /** Logs Insights runs at most 100 queries at once per account and region, shared with dashboards and people. */
    public static final int MAX_CONCURRENT_QUERIES = 100;
    public static final int MAX_DIGEST_THRESHOLD = 1000;

    private static final Pattern TOPIC = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]{1,256}");
    private static final Pattern CLUSTER = Pattern.compile("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}");

    /** One thing wrong with one setting; {@link #text()} is "NAME: message" in the caller's names. */
    public record Problem(Setting setting, String name, String message) {
        public String text() {
            return name + ": " + message;
        }
    }

    /** The outcome of {@link #check}: the settings when there is no problem, else every problem (settings null). */
    public record Checked(RunSettings settings, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks every setting. {@code raw} holds the text of each setting as given (absent, null or blank: its
     * {@link Setting#defaultValue()}; CLUSTER_NAME, CLUSTERS and TOPIC_ARN have none and are then not checked: whether
     * they are required is the caller's business). {@code nameOf} names a setting in messages. The clusters are
     * CLUSTERS' entries ({@link ClusterSource#parseList}: each bad entry is one problem naming its position), or the
     * one of CLUSTER_NAME; both given is a problem.
     */
    public static Checked check(Map<Setting, String> raw, Function<Setting, String> nameOf) {
        return new Check(raw, nameOf).run();
    }

    /** Checks with the settings' own names (the Lambda's environment variables). */
    public static Checked check(Map<Setting, String> raw) {
        return check(raw, Setting::name);
    }

    private static final class Check {
        private final Map<Setting, String> raw = new EnumMap<>(Setting.class);
        private final Function<Setting, String> nameOf;
        private final List<Problem> problems = new ArrayList<>();

        Check(Map<Setting, String> given, Function<Setting, String> nameOf) {
            this.nameOf = nameOf;
            for (Setting s : Setting.values()) {
                String v = given.get(s);
                v = v == null || v.isBlank() ? s.defaultValue() : v.trim();
                if (v != null) {
                    raw.put(s, v);
                }
            }
        }

        Checked run() {
            String cluster = raw.get(Setting.CLUSTER_NAME);
            if (cluster != null && !CLUSTER.matcher(cluster).matches()) {
                problem(Setting.CLUSTER_NAME, "expected an EKS cluster name (letters, digits, '-' and '_', starting"
                        + " with a letter or digit, at most 100 characters), got " + quoted(cluster));
            }
            List<ClusterSource> clusters = List.of();
            String list = raw.get(Setting.CLUSTERS);
            if (list != null && cluster != null) {
                problem(Setting.CLUSTERS, "give " + name(Setting.CLUSTERS) + " or " + name(Setting.CLUSTER_NAME)
                        + ", not both (" + name(Setting.CLUSTER_NAME) + " is the one-cluster form of "
                        + name(Setting.CLUSTERS) + ")");
            } else if (list != null) {
                ClusterSource.Parsed parsed = ClusterSource.parseList(list);
                parsed.problems().forEach(p -> problem(Setting.CLUSTERS, p));
                clusters = parsed.clusters();
            } else if (cluster != null && CLUSTER.matcher(cluster).matches()) {
                clusters = List.of(ClusterSource.parse(cluster));
            }
            String topic = raw.get(Setting.TOPIC_ARN);
            if (topic != null) {
                if (!TOPIC.matcher(topic).matches()) {
                    problem(Setting.TOPIC_ARN, quoted(topic) + " is not an SNS topic ARN"
                            + " (arn:aws:sns:<region>:<account>:<name>)");
                } else if (topic.endsWith(".fifo")) {
                    problem(Setting.TOPIC_ARN, quoted(topic) + " is a FIFO topic: SNS FIFO topics deliver only to"
                            + " SQS queues, not to email, HTTPS or AWS Chatbot (Slack), and refuse a publish without"
                            + " a message group id; use a standard topic");
                }
            }
            Duration period = period();
            Duration settle = settle(period);
            Duration lookback = bounded(Setting.LOOKBACK, Duration.ZERO, MAX_LOOKBACK,
                    " (how late an event may be delivered and still be seen; every run scans " + name(Setting.PERIOD)
                    + " + " + name(Setting.LOOKBACK) + " of logs, and Logs Insights bills per byte scanned)");
            ScanMode mode = ScanMode.parse(raw.get(Setting.SCAN_MODE));
            if (mode == null) {
                problem(Setting.SCAN_MODE, "expected ingestion (tile ingestion time, scan " + name(Setting.LOOKBACK)
                        + " further back: late events seen, each byte scanned (" + name(Setting.PERIOD) + " + "
                        + name(Setting.LOOKBACK) + ") / " + name(Setting.PERIOD) + " times) or event-time (tile"
                        + " event time " + name(Setting.SCAN_DELAY) + " behind each run: each byte scanned once,"
                        + " events delivered later than " + name(Setting.SCAN_DELAY) + " may be missed), got "
                        + given(Setting.SCAN_MODE));
            }
            Duration scanDelay = bounded(Setting.SCAN_DELAY, MIN_SCAN_DELAY, MAX_SCAN_DELAY,
                    " (event-time mode: how long after its timestamp an event may be delivered and still be seen;"
                    + " every finding waits this long plus up to " + name(Setting.PERIOD) + ")");
            Duration silence = bounded(Setting.AUDIT_SILENCE, MIN_AUDIT_SILENCE, MAX_AUDIT_SILENCE,
                    " (no audit events for this long: health warning)");
            String sev = raw.get(Setting.MIN_SEVERITY).toLowerCase(Locale.ROOT);
            if (!SEVERITIES.contains(sev)) {
                problem(Setting.MIN_SEVERITY, "expected one of " + String.join(", ", SEVERITIES) + ", got "
                        + quoted(raw.get(Setting.MIN_SEVERITY)));
            }
            int queries = integer(Setting.MAX_CONCURRENT_QUERIES, 1, MAX_CONCURRENT_QUERIES,
                    " (Logs Insights runs at most " + MAX_CONCURRENT_QUERIES + " queries at once per account and"
                    + " region, shared with dashboards and people)");
            int digest = integer(Setting.DIGEST_THRESHOLD, 1, MAX_DIGEST_THRESHOLD,
                    " (more findings than this in one run are sent as one digest)");
            if (!problems.isEmpty()) {
                return new Checked(null, List.copyOf(problems));
            }
            return new Checked(new RunSettings(cluster, topic, period, settle, lookback, silence, sev, queries,
                    digest, mode, scanDelay, clusters), List.of());
        }

        private Duration period() {
            Duration p = duration(Setting.PERIOD);
            if (p == null) {
                return null;
            }
            if (p == TOO_LARGE || p.compareTo(Duration.ofMinutes(1)) < 0 || p.compareTo(Duration.ofDays(1)) > 0
                    || p.getNano() != 0 || p.getSeconds() % 60 != 0 || 86_400 % p.getSeconds() != 0) {
                problem(Setting.PERIOD, "expected whole minutes that divide a day evenly, from 1 minute to 1 day"
                        + " (1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, ... 1d: runs start on those boundaries), got "
                        + given(Setting.PERIOD));
                return null;
            }
            return p;
        }

        private Duration settle(Duration period) {
            Duration max = period == null || period.compareTo(MAX_SETTLE_DELAY) > 0 ? MAX_SETTLE_DELAY : period;
            boolean strict = max == period;
            Duration s = duration(Setting.SETTLE_DELAY);
            if (s == null) {
                return null;
            }
            if (s.isNegative()) {
                problem(Setting.SETTLE_DELAY, "expected at least 0s, got " + given(Setting.SETTLE_DELAY));
                return null;
            }
            if (strict ? s.compareTo(max) >= 0 : s.compareTo(max) > 0) {
                problem(Setting.SETTLE_DELAY, strict
                        ? "expected less than " + name(Setting.PERIOD) + " (" + show(period) + "): a window closes "
                          + name(Setting.SETTLE_DELAY) + " after its tick, before the next tick; got "
                          + given(Setting.SETTLE_DELAY)
                        : "expected at most " + show(MAX_SETTLE_DELAY) + " (every finding waits this long; EKS"
                          + " delivers control-plane logs within minutes), got " + given(Setting.SETTLE_DELAY));
                return null;
            }
            return s;
        }

        private Duration bounded(Setting setting, Duration min, Duration max, String why) {
            Duration d = duration(setting);
            if (d == null) {
                return null;
            }
            if (d == TOO_LARGE || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problem(setting, "expected a duration from " + show(min) + " to " + show(max) + why + ", got "
                        + given(setting) + (d == TOO_LARGE ? " (too large)" : ""));
                return null;
            }
            return d;
        }

        private Duration duration(Setting setting) {
            Duration d = SettingsDuration.parse(raw.get(setting));
            if (d == null) {
                problem(setting, "expected a duration such as " + show(SettingsDuration.parse(setting.defaultValue()))
                        + " or " + setting.defaultValue() + " (ISO-8601), got " + given(setting));
            }
            return d;
        }

        private int integer(Setting setting, int min, int max, String why) {
            String v = raw.get(setting);
            int def = Integer.parseInt(setting.defaultValue());
            if (!v.matches("[+-]?\\d{1,9}")) {
                problem(setting, "expected a whole number from " + min + " to " + max + why + ", got "
                        + quoted(v));
                return def;
            }
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                problem(setting, "expected a whole number from " + min + " to " + max + why + ", got " + quoted(v));
            }
            return n;
        }

        private void problem(Setting s, String message) {
            problems.add(new Problem(s, name(s), message));
        }

        private String name(Setting s) {
            return nameOf.apply(s);
        }

        private String given(Setting s) {
            return quoted(raw.get(s));
        }

        private static String quoted(String v) {
            return "'" + v + "'";
        }
    }
}
