package io.ekslookout.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.ekslookout.settings.ClusterSource;
import io.ekslookout.schedule.ScanMode;
import io.ekslookout.settings.RunSettings;
import io.ekslookout.settings.Setting;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settings of the {@link EksLookout} construct. Build with {@link #builder()}; {@code build()} checks every value
 * and throws {@link ConfigException} naming the property (the property names are also the CDK context keys).
 *
 * <pre>{@code
 * new EksLookout(this, "Lookout", EksLookoutProps.builder()
 *         .clusterName("prod")
 *         .alertEmails(List.of("sec@example.com"))
 *         .functionJar(Path.of("function/target/eks-lookout.jar"))
 *         .rulesDir(Path.of("rules"))
 *         .build());
 * }</pre>
 */
public final class EksLookoutProps {
    /** Severities in increasing order (the detector's {@code MIN_SEVERITY} values). */
    public static final List<String> SEVERITIES = RunSettings.SEVERITIES;
    /** The Lambda handler class; the function jar must contain it. */
    public static final String HANDLER_CLASS = "io.ekslookout.lambda.Handler";

    private static final Pattern CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+");
    private static final Pattern SLACK_WORKSPACE = Pattern.compile("[0-9A-Z]{1,255}");
    private static final Pattern SLACK_CHANNEL = Pattern.compile("[A-Za-z0-9]{1,255}");

    private final String clusterName;
    private final List<ClusterSource> clusters;
    private final List<String> alertEmails;
    private final String slackWorkspaceId;
    private final String slackChannelId;
    private final Duration schedule;
    private final Duration settleDelay;
    private final Duration lookback;
    private final ScanMode scanMode;
    private final Duration scanDelay;
    private final String minSeverity;
    private final Path rulesDir;
    private final Path functionJar;
    private final boolean enableControlPlaneLogging;
    private final boolean securityHub;
    private final String eventBus;
    private final int memorySize;
    private final int maxConcurrentQueries;
    private final int digestThreshold;

    private EksLookoutProps(Builder b) {
        this.clusterName = b.clusterName;
        this.clusters = List.copyOf(b.parsedClusters);
        this.alertEmails = List.copyOf(b.alertEmails);
        this.slackWorkspaceId = b.slackWorkspaceId;
        this.slackChannelId = b.slackChannelId;
        this.schedule = b.schedule;
        this.settleDelay = b.settleDelay;
        this.lookback = b.lookback;
        this.scanMode = b.scanMode;
        this.scanDelay = b.scanDelay;
        this.minSeverity = b.minSeverity;
        this.rulesDir = b.rulesDir;
        this.functionJar = b.functionJar;
        this.enableControlPlaneLogging = b.enableControlPlaneLogging;
        this.securityHub = b.securityHub;
        this.eventBus = b.eventBus;
        this.memorySize = b.memorySize;
        this.maxConcurrentQueries = b.maxConcurrentQueries;
        this.digestThreshold = b.digestThreshold;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What this deployment is called (stack, alarms, the run's metrics dimension Cluster): the one cluster's name, or
     * the first cluster's and how many more ({@code prod-and-2-more}; {@link ClusterSource#label}).
     */
    public String clusterName() { return ClusterSource.label(clusters); }
    /**
     * The clusters watched, one run for all: each a name ({@code /aws/eks/<name>/cluster} in this account) or a
     * control-plane log group ARN of a linked source account (CloudWatch cross-account observability).
     */
    public List<ClusterSource> clusters() { return clusters; }
    /** One SNS email subscription per address. */
    public List<String> alertEmails() { return alertEmails; }
    /** Slack workspace (team) id authorized in AWS Chatbot, or null. */
    public String slackWorkspaceId() { return slackWorkspaceId; }
    /** Slack channel id, or null. */
    public String slackChannelId() { return slackChannelId; }
    /** How often the detector runs (whole minutes). */
    public Duration schedule() { return schedule; }
    /** How long to wait for late log delivery before a window is considered complete. */
    public Duration settleDelay() { return settleDelay; }
    /**
     * How far before its ingestion window each run reaches in event time: the delivery delay it tolerates. Runs tile
     * ingestion time without gaps; each scans {@code schedule + lookback} of logs.
     */
    public Duration lookback() { return lookback; }
    /**
     * {@code ingestion} (tile ingestion time, scan {@code lookback} further back) or {@code event-time} (tile event
     * time {@code scanDelay} behind each run, each byte scanned once); see io.ekslookout.schedule.WindowPlanner.
     */
    public ScanMode scanMode() { return scanMode; }
    /** {@code event-time} mode: events delivered more than this after their timestamp may be missed. */
    public Duration scanDelay() { return scanDelay; }
    /** Findings below this severity are not sent. */
    public String minSeverity() { return minSeverity; }
    /** Directory of rule YAML, validated at synth and bundled with the function. */
    public Path rulesDir() { return rulesDir; }
    /** The function's shaded jar (function/target/eks-lookout.jar). */
    public Path functionJar() { return functionJar; }
    /** Turn on the cluster's control-plane log types through a custom resource. */
    public boolean enableControlPlaneLogging() { return enableControlPlaneLogging; }

    /** Import findings into Security Hub (the account's default product). */
    public boolean securityHub() { return securityHub; }

    /** The EventBridge bus findings also go to (a name, "default", or an ARN); null for none. */
    public String eventBus() { return eventBus; }
    /** Lambda memory in MB. */
    public int memorySize() { return memorySize; }
    /** Logs Insights queries in flight at once (at most 100 per account and region, shared). */
    public int maxConcurrentQueries() { return maxConcurrentQueries; }
    /** More findings than this in one run are sent as one digest message. */
    public int digestThreshold() { return digestThreshold; }
    /** Whether Slack delivery through AWS Chatbot is configured. */
    public boolean slackEnabled() { return slackWorkspaceId != null; }

    /** The Lambda timeout: 80% of the period (runs never pile up), at least 1 minute, at most 15. */
    public Duration functionTimeout() {
        Duration t = schedule.multipliedBy(4).dividedBy(5);
        if (t.compareTo(Duration.ofMinutes(1)) < 0) {
            t = Duration.ofMinutes(1);
        }
        return t.compareTo(Duration.ofMinutes(15)) > 0 ? Duration.ofMinutes(15) : t;
    }

    public static final class Builder {
        private String clusterName;
        private List<String> clusterEntries = new ArrayList<>();
        private List<ClusterSource> parsedClusters = List.of();
        private List<String> alertEmails = new ArrayList<>();
        private String slackWorkspaceId;
        private String slackChannelId;
        private Duration schedule = Duration.ofMinutes(5);
        private Duration settleDelay = Duration.ofMinutes(2);
        private Duration lookback = Duration.ofMinutes(15);
        private ScanMode scanMode = ScanMode.INGESTION;
        private Duration scanDelay = Duration.ofMinutes(10);
        private String minSeverity = "low";
        private Path rulesDir = Path.of("rules");
        private Path functionJar = Path.of("function", "target", "eks-lookout.jar");
        private boolean enableControlPlaneLogging;
        private boolean securityHub;
        private String eventBus;
        private int memorySize = 1024;
        private int maxConcurrentQueries = 10;
        private int digestThreshold = 10;

        private Builder() {
        }

        public Builder clusterName(String v) { this.clusterName = v; return this; }
        /** The clusters to watch: names and/or control-plane log group ARNs (clusterName is the one-cluster form). */
        public Builder clusters(List<String> v) { this.clusterEntries = new ArrayList<>(v); return this; }
        public Builder alertEmails(List<String> v) { this.alertEmails = new ArrayList<>(v); return this; }
        public Builder slackWorkspaceId(String v) { this.slackWorkspaceId = v; return this; }
        public Builder slackChannelId(String v) { this.slackChannelId = v; return this; }
        public Builder schedule(Duration v) { this.schedule = v; return this; }
        public Builder settleDelay(Duration v) { this.settleDelay = v; return this; }
        public Builder lookback(Duration v) { this.lookback = v; return this; }
        public Builder scanMode(ScanMode v) { this.scanMode = v; return this; }
        public Builder scanDelay(Duration v) { this.scanDelay = v; return this; }
        public Builder minSeverity(String v) { this.minSeverity = v; return this; }
        public Builder rulesDir(Path v) { this.rulesDir = v; return this; }
        public Builder functionJar(Path v) { this.functionJar = v; return this; }
        public Builder enableControlPlaneLogging(boolean v) { this.enableControlPlaneLogging = v; return this; }
        public Builder securityHub(boolean v) { this.securityHub = v; return this; }
        public Builder eventBus(String v) { this.eventBus = v; return this; }
        public Builder memorySize(int v) { this.memorySize = v; return this; }
        public Builder maxConcurrentQueries(int v) { this.maxConcurrentQueries = v; return this; }
        public Builder digestThreshold(int v) { this.digestThreshold = v; return this; }

        /** Checks every setting; throws {@link ConfigException} for the first bad one. */
        public EksLookoutProps build() {
            clusterName = blankToNull(clusterName);
            if (clusterName == null && clusterEntries.isEmpty()) {
                throw new ConfigException("clusterName",
                        "required: the EKS cluster to watch, e.g. -c clusterName=prod (or several: -c clusters=prod,staging)");
            }
            if (clusterName != null && !clusterEntries.isEmpty()) {
                throw new ConfigException("clusters", "give clusters or clusterName, not both (clusterName is the"
                        + " one-cluster form of clusters)");
            }
            if (clusterName != null && !CLUSTER_NAME.matcher(clusterName).matches()) {
                throw new ConfigException("clusterName", "expected an EKS cluster name (letters, digits, '-' and"
                        + " '_', starting with a letter or digit, at most 100 characters), got \"" + clusterName + "\"");
            }
            Set<String> emails = new LinkedHashSet<>();
            for (String e : alertEmails) {
                String t = e == null ? "" : e.trim();
                if (!EMAIL.matcher(t).matches()) {
                    throw new ConfigException("alertEmails", "expected email addresses (a list, or one string"
                            + " separated by commas), got \"" + e + "\"");
                }
                emails.add(t);
            }
            alertEmails = new ArrayList<>(emails);
            slackWorkspaceId = blankToNull(slackWorkspaceId);
            slackChannelId = blankToNull(slackChannelId);
            if ((slackWorkspaceId == null) != (slackChannelId == null)) {
                throw new ConfigException(slackWorkspaceId == null ? "slackWorkspaceId" : "slackChannelId",
                        "Slack needs both slackWorkspaceId and slackChannelId (or neither)");
            }
            if (slackWorkspaceId != null && !SLACK_WORKSPACE.matcher(slackWorkspaceId).matches()) {
                throw new ConfigException("slackWorkspaceId", "expected the Slack workspace id shown in the AWS"
                        + " Chatbot console (upper-case letters and digits, e.g. T0123ABCD), got \"" + slackWorkspaceId + "\"");
            }
            if (slackChannelId != null && !SLACK_CHANNEL.matcher(slackChannelId).matches()) {
                throw new ConfigException("slackChannelId", "expected a Slack channel id (letters and digits,"
                        + " e.g. C0123ABCD, from the channel's details), got \"" + slackChannelId + "\"");
            }
            if (alertEmails.isEmpty() && slackWorkspaceId == null) {
                throw new ConfigException("alertEmails", "no one would be alerted: give at least one address"
                        + " (-c alertEmails=sec@example.com) or a Slack channel (-c slackWorkspaceId=... -c slackChannelId=...)");
            }
            eventBus = blankToNull(eventBus);
            if (eventBus != null && !io.ekslookout.lambda.Config.BUS.matcher(eventBus).matches()) {
                throw new ConfigException("eventBus", "expected an EventBridge bus name (letters, digits, . - _ /),"
                        + " 'default', or a bus ARN, got \"" + eventBus + "\"");
            }
            require("schedule", schedule);
            require("settleDelay", settleDelay);
            require("lookback", lookback);
            require("scanDelay", scanDelay);
            if (scanMode == null) {
                throw new ConfigException("scanMode", "required");
            }
            // The function's own check (io.ekslookout.settings.RunSettings): a stack built here never deploys a
            // function that refuses its settings on every run.
            Map<Setting, String> raw = new EnumMap<>(Setting.class);
            if (clusterName != null) {
                raw.put(Setting.CLUSTER_NAME, clusterName);
            } else {
                raw.put(Setting.CLUSTERS, String.join(",", clusterEntries));
            }
            raw.put(Setting.PERIOD, schedule.toString());
            raw.put(Setting.SETTLE_DELAY, settleDelay.toString());
            raw.put(Setting.LOOKBACK, lookback.toString());
            raw.put(Setting.SCAN_MODE, scanMode.label());
            raw.put(Setting.SCAN_DELAY, scanDelay.toString());
            raw.put(Setting.MIN_SEVERITY, minSeverity == null ? "(none)" : minSeverity);
            raw.put(Setting.MAX_CONCURRENT_QUERIES, Integer.toString(maxConcurrentQueries));
            raw.put(Setting.DIGEST_THRESHOLD, Integer.toString(digestThreshold));
            RunSettings.Checked checked = RunSettings.check(raw, ContextConfig::key);
            if (!checked.ok()) {
                throw ConfigException.of(checked.problems());
            }
            minSeverity = checked.settings().minSeverity();
            parsedClusters = checked.settings().clusters();
            if (rulesDir == null || !Files.isDirectory(rulesDir)) {
                throw new ConfigException("rulesDir", "expected a directory of rule YAML files, \"" + rulesDir
                        + "\" is not one");
            }
            if (functionJar == null || !Files.isRegularFile(functionJar)) {
                throw new ConfigException("functionJar", "the function jar \"" + functionJar + "\" does not exist:"
                        + " build it first with `mvn -q -B package -DskipTests`");
            }
            if (!containsHandler(functionJar)) {
                throw new ConfigException("functionJar", "\"" + functionJar + "\" is not the function's shaded jar"
                        + " (no " + HANDLER_CLASS + " in it): build it with `mvn -q -B package -DskipTests` and point"
                        + " at function/target/eks-lookout.jar");
            }
            if (memorySize < 512 || memorySize > 10240) {
                throw new ConfigException("memorySize", "expected megabytes between 512 and 10240, got " + memorySize);
            }
            return new EksLookoutProps(this);
        }

        private static boolean containsHandler(Path jar) {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                return zip.getEntry(HANDLER_CLASS.replace('.', '/') + ".class") != null;
            } catch (java.io.IOException e) {
                return false;
            }
        }

        private static void require(String key, Duration d) {
            if (d == null) {
                throw new ConfigException(key, "required");
            }
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }
}
