package io.ekslookout.cli;

import io.ekslookout.aws.AwsClients;
import io.ekslookout.aws.AwsErrors;
import io.ekslookout.aws.InsightsBackend;
import io.ekslookout.aws.LogTarget;
import io.ekslookout.detect.Batch;
import io.ekslookout.detect.BatchResult;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.ScanStats;
import io.ekslookout.query.Query;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.query.QueryResult;
import io.ekslookout.run.Wiring;
import io.ekslookout.settings.ClusterSource;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Where a command reads CloudWatch Logs with Logs Insights and how it reaches AWS: {@code --cluster NAME |
 * --log-group NAME}, {@code --region}, {@code --profile}, {@code --endpoint-url}, {@code --throttle-timeout}. One
 * picocli mixin shared by {@code scan} (through {@link CloudOptions}, which adds publishing), {@code hunt} and
 * {@code query}, so the options read, check and fail the same way everywhere.
 */
public class CloudSource {
    /** Without --since, a cloud command covers the last hour (a local one reads the whole input). */
    public static final Duration DEFAULT_SPAN = Duration.ofHours(1);

    @Option(names = "--cluster", paramLabel = "NAME", split = ",",
            description = "Read the EKS cluster's control-plane logs (/aws/eks/NAME/cluster) with Logs Insights."
                    + " Repeat it or separate names with commas for several clusters in one run; a log group ARN"
                    + " (arn:aws:logs:REGION:ACCOUNT:log-group:/aws/eks/NAME/cluster) reads a linked source"
                    + " account's cluster from a CloudWatch cross-account observability monitoring account.")
    List<String> clusters;

    @Option(names = "--log-group", paramLabel = "NAME",
            description = "Read this CloudWatch Logs group with Logs Insights.")
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

    private AwsClients clients;
    private InsightsBackend backend;

    /** True when the command reads CloudWatch Logs instead of local files. */
    public boolean cloud() {
        return (clusters != null && !clusters.isEmpty()) || logGroup != null;
    }

    /** The clusters of --cluster, parsed (each bad entry one problem naming it). */
    private ClusterSource.Parsed parsedClusters() {
        return ClusterSource.parseEntries(clusters == null ? List.of() : clusters.stream().map(String::trim)
                .filter(c -> !c.isEmpty()).toList());
    }

    /**
     * Checks the source options; returns an error message or null. {@code localLogsGiven}: --logs was given.
     */
    public String checkSource(boolean localLogsGiven) {
        boolean someCluster = clusters != null && !clusters.isEmpty();
        if (someCluster && logGroup != null) {
            return "give --cluster or --log-group, not both";
        }
        if (someCluster) {
            ClusterSource.Parsed parsed = parsedClusters();
            if (!parsed.problems().isEmpty()) {
                return "--cluster: " + TerminalText.escape(String.join("; ", parsed.problems()));
            }
        }
        if (cloud() && localLogsGiven) {
            return "give --logs or --cluster/--log-group, not both";
        }
        if (!cloud() && !localLogsGiven) {
            return "give --logs PATH, --cluster NAME or --log-group NAME";
        }
        Duration t = TimeArgs.parseDurationOrNull(throttleTimeout);
        if (t == null || t.isZero() || t.isNegative()) {
            return "--throttle-timeout '" + throttleTimeout + "' is not a duration such as 90s, 5m or 1h";
        }
        return null;
    }

    /** The first (with one cluster: the) target. */
    public LogTarget target() {
        return targets().get(0);
    }

    /** What --cluster (each cluster, in the order given) or --log-group reads; a local "cluster" without either. */
    public List<LogTarget> targets() {
        if (logGroup != null) {
            return List.of(LogTarget.forLogGroup(logGroup));
        }
        if (clusters == null || clusters.isEmpty()) {
            return List.of(LogTarget.forCluster("local"));
        }
        List<ClusterSource> parsed = parsedClusters().clusters();
        if (parsed.isEmpty()) { // not checked yet: checkSource reports the problems
            throw new CliCommand.Failure("--cluster: " + TerminalText.escape(String.join("; ",
                    parsedClusters().problems())));
        }
        return parsed.stream().map(LogTarget::of).toList();
    }

    /** What the run is called: the one cluster, or the first and how many more. */
    public String label() {
        return Wiring.label(targets());
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

    /** The Logs Insights back end for --cluster/--log-group, running at most {@code maxConcurrent} queries. */
    InsightsBackend backend(int maxConcurrent) {
        if (backend == null) {
            backend = backend(targets(), maxConcurrent);
        }
        return backend;
    }

    /**
     * A Logs Insights back end over {@code targets} (each query reads them all, one StartQuery per 50 log groups),
     * paced as --throttle-timeout says; {@link #builtBackend()} is the last one made.
     */
    InsightsBackend backend(List<LogTarget> targets, int maxConcurrent) {
        InsightsBackend b = Wiring.insights(clients().logs(), targets, InsightsBackend.Settings.defaults()
                .withMaxConcurrent(maxConcurrent).withThrottleLimit(TimeArgs.parseDurationOrNull(throttleTimeout)));
        backend = b;
        return b;
    }

    /** The --throttle-timeout limit. */
    java.time.Duration throttleLimit() {
        return TimeArgs.parseDurationOrNull(throttleTimeout);
    }

    /** The back end built so far, or null. */
    InsightsBackend builtBackend() {
        return backend;
    }

    /** The window a cloud command covers: the requested one, or the last hour when none was given. */
    public TimeWindow window(Instant since, Instant until, Instant now) {
        Instant end = until != null ? until : now;
        Instant start = since != null ? since : end.minus(DEFAULT_SPAN);
        return new TimeWindow(start, end);
    }

    /**
     * Runs one query ({@code hunt}, {@code query}) on Logs Insights over {@code window}: a non-stats query past the
     * 10,000-row cap is split by time, throttling is retried up to --throttle-timeout. A problem every call would
     * meet (no log group, credentials, region, access, endpoint) is one {@link CliCommand.Failure} line with exit 2
     * or 3, as {@code scan} reports it; any other failure of the query is one line, exit 2.
     */
    BatchResult runOne(String what, Query query, TimeWindow window) {
        InsightsBackend b = backend(InsightsBackend.Settings.defaults().maxConcurrent());
        BatchResult r = b.run(Batch.one(new Batch.Entry(what, query), window, null, null));
        if (r.halted() != null) {
            throw CliCommand.Failure.halted(r.halted());
        }
        QueryOutcome o = r.outcomes().get(0);
        if (o.failed()) {
            throw new CliCommand.Failure(what + " failed on Logs Insights: " + o.error());
        }
        return r;
    }

    /** The summary of a cloud {@link #runOne}: rows, what Logs Insights scanned, and its warnings. */
    void summary(QueryResult result, BatchResult batch, PrintWriter err) {
        err.println(result.rows().size() + " rows; " + insightsLine(batch.scan()));
        batch.warnings().forEach(w -> err.println("warning: " + TerminalText.escape(w)));
        result.warnings().forEach(w -> err.println("warning: " + TerminalText.escape(w)));
    }

    /** The Logs Insights line of the summary: queries, records and bytes scanned, time. */
    static String insightsLine(ScanStats s) {
        return String.format(Locale.ROOT, "Logs Insights: %d queries, %d records and %.1f MB scanned in %.1f s",
                s.queriesStarted(), s.recordsScanned(), s.bytesScanned() / 1e6, s.duration().toMillis() / 1000.0);
    }
}
