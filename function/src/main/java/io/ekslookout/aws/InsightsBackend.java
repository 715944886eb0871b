package io.ekslookout.aws;

import io.ekslookout.detect.Batch;
import io.ekslookout.detect.BatchResult;
import io.ekslookout.detect.QueryBackend;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.QueryStats;
import io.ekslookout.detect.QueryText;
import io.ekslookout.detect.ScanStats;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.query.QueryResult;
import io.ekslookout.query.ResultRow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs a batch of rule queries on CloudWatch Logs Insights.
 *
 * <ul>
 *   <li>Starts queries first (up to {@link Settings#maxConcurrent} at once), then polls them with a growing delay;
 *       every call goes through one token bucket ({@link Settings#callsPerSecond}).</li>
 *   <li>{@code LimitExceededException} (or throttling) backs off with jitter and retries: a rule is never dropped
 *       because the account's quota was busy.</li>
 *   <li>A deadline (the Lambda's remaining time): queries not finished by then are stopped with StopQuery and
 *       reported as errors of their rules.</li>
 *   <li>The row cap: a non-stats result with exactly {@link Settings#rowLimit} rows may be truncated, so its time
 *       range is split in halves (each half gets an exact {@code @timestamp} filter in milliseconds) and run again,
 *       recursively, until every part is under the cap; the parts are merged in time order. A stats query cannot be
 *       merged that way (counts, averages and distinct counts of halves do not add up), so it is not split: a stats
 *       result at the cap is returned as is and a warning is recorded (the result's warnings). Whether a query
 *       has stats is its parsed {@link io.ekslookout.query.Query#aggregate()}; the text sent is its
 *       {@link io.ekslookout.query.Query#text()}, never parsed again.</li>
 *   <li>Time ranges: StartQuery takes epoch <b>seconds</b>, inclusive at both ends; the request's millisecond
 *       range [start, end) becomes [floor(start), ceil(end)] seconds, which may scan up to one extra second at each
 *       end. With an ingestion window the query is prefixed with an exact
 *       {@code filter @ingestionTime >= X and @ingestionTime < Y} (milliseconds), so the extra second never makes
 *       an event count twice across scheduled runs; without one (event-time runs, ad hoc ranges) with the exact
 *       {@code filter @timestamp >= X and @timestamp < Y} instead, for the same reason.</li>
 * </ul>
 * Everything a batch did (cost, warnings, the problem that stopped it) is in its {@link BatchResult}; the instance
 * holds configuration only. Runs on the caller's thread.
 */
public final class InsightsBackend implements QueryBackend {
    /** The maximum rows one Logs Insights query returns. */
    public static final int MAX_ROWS = 10_000;

    /**
     * Tuning.
     *
     * @param maxConcurrent       queries running at once (the account quota is shared with dashboards)
     * @param rowLimit            the {@code limit} passed to StartQuery; a result this long is treated as truncated
     * @param callsPerSecond      pace of all Insights API calls together
     * @param pollInitialMillis   first poll delay after a start
     * @param pollMaxMillis       longest delay between polls of one query
     * @param backoffInitialMillis first wait after a throttling error (doubles, with jitter)
     * @param backoffMaxMillis    longest wait after throttling
     * @param maxPartsPerQuery    how many time-range parts one rule may be split into before giving up
     * @param throttleLimit       when every Insights call has been throttled for longer than this, the batch stops
     *                            and its unfinished rules fail with a THROTTLED halt; null retries until the
     *                            deadline (the CLI sets it: it has no deadline; the Lambda's deadline bounds the wait)
     */
    public record Settings(int maxConcurrent, int rowLimit, double callsPerSecond, long pollInitialMillis,
                           long pollMaxMillis, long backoffInitialMillis, long backoffMaxMillis,
                           int maxPartsPerQuery, Duration throttleLimit) {
        public Settings {
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("maxConcurrent must be at least 1");
            }
            if (rowLimit < 1 || rowLimit > MAX_ROWS) {
                throw new IllegalArgumentException("rowLimit must be 1.." + MAX_ROWS);
            }
        }

        /** Settings without a throttle limit. */
        public Settings(int maxConcurrent, int rowLimit, double callsPerSecond, long pollInitialMillis,
                        long pollMaxMillis, long backoffInitialMillis, long backoffMaxMillis, int maxPartsPerQuery) {
            this(maxConcurrent, rowLimit, callsPerSecond, pollInitialMillis, pollMaxMillis, backoffInitialMillis,
                    backoffMaxMillis, maxPartsPerQuery, null);
        }

        public static Settings defaults() {
            return new Settings(10, MAX_ROWS, 5.0, 1000, 5000, 1000, 30_000, 256);
        }

        public Settings withMaxConcurrent(int n) {
            return new Settings(n, rowLimit, callsPerSecond, pollInitialMillis, pollMaxMillis, backoffInitialMillis,
                    backoffMaxMillis, maxPartsPerQuery, throttleLimit);
        }

        public Settings withRowLimit(int n) {
            return new Settings(maxConcurrent, n, callsPerSecond, pollInitialMillis, pollMaxMillis,
                    backoffInitialMillis, backoffMaxMillis, maxPartsPerQuery, throttleLimit);
        }

        public Settings withThrottleLimit(Duration limit) {
            return new Settings(maxConcurrent, rowLimit, callsPerSecond, pollInitialMillis, pollMaxMillis,
                    backoffInitialMillis, backoffMaxMillis, maxPartsPerQuery, limit);
        }
    }

    private final InsightsApi api;
    private final LogTarget target;
    /** Every log group each query reads (one StartQuery over all of them; at most 50). */
    private final List<LogTarget> targets;
    private final Settings settings;
    private final Ticker ticker;
    private final Random jitter;

    public InsightsBackend(InsightsApi api, LogTarget target, Settings settings, Ticker ticker) {
        this(api, target, settings, ticker, new Random());
    }

    InsightsBackend(InsightsApi api, LogTarget target, Settings settings, Ticker ticker, Random jitter) {
        this(api, List.of(target), settings, ticker, jitter);
    }

    /**
     * A back end whose every query reads all of {@code targets}: one StartQuery per batch of at most
     * {@link InsightsApi#MAX_LOG_GROUPS} log groups (their names, or their ARNs for log groups of linked source
     * accounts), the batches' rows together in the query's outcome. A non-stats query (a prefilter, a hunt's
     * events) is exact that way; a stats query over more than 50 log groups fails with the reason (counts of two
     * queries do not add up).
     */
    public InsightsBackend(InsightsApi api, List<LogTarget> targets, Settings settings, Ticker ticker) {
        this(api, targets, settings, ticker, new Random());
    }

    InsightsBackend(InsightsApi api, List<LogTarget> targets, Settings settings, Ticker ticker, Random jitter) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a Logs Insights back end reads at least one log group");
        }
        this.api = api;
        this.targets = List.copyOf(targets);
        this.target = targets.get(0);
        this.settings = settings;
        this.ticker = ticker;
        this.jitter = jitter;
    }

    public LogTarget target() {
        return target;
    }

    /** Every log group the queries read. */
    public List<LogTarget> targets() {
        return targets;
    }

    /** StartQuery for a batch of targets: one group by name as before, several (or an ARN) in one call. */
    private String start(List<LogTarget> groups, long startSeconds, long endSeconds, String text) {
        if (groups.size() == 1 && groups.get(0).arn() == null) {
            return api.startQuery(groups.get(0).logGroup(), startSeconds, endSeconds, text, settings.rowLimit());
        }
        return api.startQuery(groups.stream().map(LogTarget::identifier).toList(), startSeconds, endSeconds, text,
                settings.rowLimit());
    }

    /**
     * The targets in batches of at most {@link InsightsApi#MAX_LOG_GROUPS} (StartQuery's limit), in order: each
     * query of a batch runs once per batch of log groups, so N clusters take ceil(N / 50) queries.
     */
    public static <T> List<List<T>> inBatches(List<T> targets) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i += InsightsApi.MAX_LOG_GROUPS) {
            out.add(List.copyOf(targets.subList(i, Math.min(targets.size(), i + InsightsApi.MAX_LOG_GROUPS))));
        }
        return out;
    }

    /** The error for a missing log group: the one cluster's fix, or which groups were asked for. */
    private String missingLogGroupMessage() {
        if (targets.size() == 1) {
            return target.missingLogGroupMessage();
        }
        return "one of the log groups " + String.join(", ", targets.stream().map(LogTarget::identifier).toList())
                + " was not found: enable control-plane logging for each cluster (aws eks update-cluster-config"
                + " --name <cluster> --logging ...) and check the region";
    }

    @Override
    public BatchResult run(Batch batch) {
        return new Run(batch).run();
    }

    /** The Logs Insights text for one request: its filters first (ingestion window, part range), then the rule's. */
    public static String queryText(String ruleQuery, TimeWindow ingestion, TimeWindow partRange) {
        return QueryText.withWindows(ruleQuery, ingestion, partRange);
    }

    /** StartQuery's start: floor of the millisecond start, in seconds. */
    static long startSeconds(Instant start) {
        return Math.floorDiv(start.toEpochMilli(), 1000L);
    }

    /** StartQuery's end (inclusive): ceiling of the millisecond end, in seconds. */
    static long endSeconds(Instant end) {
        return -Math.floorDiv(-end.toEpochMilli(), 1000L);
    }

    private final class Job {
        final int index;
        final Batch.Entry request;
        final TimeWindow range;
        final TimeWindow ingestion;
        final boolean aggregate;
        final List<Part> done = new ArrayList<>();
        int open;
        int parts;
        String error;
        long recordsScanned;
        long bytesScanned;
        long recordsMatched;
        /** Matched events of the parts kept (a capped part replaced by its halves does not count twice). */
        long keptMatched;
        /** Bytes the first parts (the whole range, one per batch of log groups) scanned. */
        long firstPartBytes = -1;
        long firstStart = -1;
        long lastEnd = -1;

        Job(int index, Batch.Entry request, Batch batch) {
            this.index = index;
            this.request = request;
            this.range = batch.window();
            this.ingestion = batch.ingestionWindow();
            this.aggregate = request.runnable() && request.query().aggregate();
            this.error = request.problem(); // an entry that did not parse fails alone, never sent
        }

        QueryStats stats() {
            long ms = firstStart < 0 ? 0 : Math.max(0, lastEnd - firstStart);
            return new QueryStats(recordsScanned, bytesScanned, recordsMatched, Duration.ofMillis(ms));
        }
    }

    private static final class Part {
        final Job job;
        final TimeWindow range;
        final boolean split;
        /** The log groups this part reads (one batch of at most 50). */
        List<LogTarget> groups;
        String queryId;
        long nextPoll;
        long pollDelay;
        List<List<Map.Entry<String, String>>> rows;

        Part(Job job, TimeWindow range, boolean split) {
            this.job = job;
            this.range = range;
            this.split = split;
        }
    }

    /** One batch being run: everything it learns stays here and goes into its result. */
    private final class Run {
        final Instant deadline;
        final TimeWindow window;
        final List<String> warnings = new ArrayList<>();
        AwsErrors.Problem stoppedBy;
        final List<Job> jobs = new ArrayList<>();
        final Deque<Part> pending = new ArrayDeque<>();
        final List<Part> running = new ArrayList<>();
        final RateLimiter limiter;
        long startBlockedUntil;
        long startBackoff = settings.backoffInitialMillis();
        int started;
        int throttled;
        int splits;
        /** When the current run of throttled calls began (no call has gone through since), or -1. */
        long throttledSince = -1;
        final long begin;

        Run(Batch batch) {
            deadline = batch.deadline();
            window = batch.window();
            // No burst: calls are spaced evenly, so no one-second window sees more than callsPerSecond of them.
            limiter = new RateLimiter(ticker, settings.callsPerSecond(), 1);
            for (int i = 0; i < batch.entries().size(); i++) {
                Job job = new Job(i, batch.entries().get(i), batch);
                jobs.add(job);
                List<List<LogTarget>> groups = inBatches(targets);
                if (job.error == null && job.aggregate && groups.size() > 1) {
                    job.error = "a stats query reads at most " + InsightsApi.MAX_LOG_GROUPS + " log groups at once"
                            + " (counts of two queries do not add up), this one " + targets.size();
                }
                if (job.error == null) {
                    for (List<LogTarget> g : groups) {
                        Part part = new Part(job, job.range, false);
                        part.groups = g;
                        enqueue(part, false);
                    }
                }
            }
            begin = now();
        }

        long now() {
            return ticker.now().toEpochMilli();
        }

        void enqueue(Part p, boolean front) {
            p.job.open++;
            p.job.parts++;
            if (front) {
                pending.addFirst(p);
            } else {
                pending.addLast(p);
            }
        }

        BatchResult run() {
            while (!pending.isEmpty() || !running.isEmpty()) {
                if (deadline != null && now() >= deadline.toEpochMilli()) {
                    expire();
                    break;
                }
                if (!startSome()) {
                    break; // a problem every call would meet (no log group, no access ...): every job has failed
                }
                pollDue();
                if (stoppedBy != null) {
                    break;
                }
                waitForWork();
            }
            long scanned = 0, bytes = 0, matched = 0, onePass = 0;
            List<QueryOutcome> out = new ArrayList<>();
            for (Job j : jobs) {
                scanned += j.recordsScanned;
                bytes += j.bytesScanned;
                matched += j.recordsMatched;
                onePass = Math.max(onePass, j.firstPartBytes);
                out.add(outcome(j));
            }
            ScanStats scan = new ScanStats(started, throttled, splits, scanned, bytes, matched,
                    Duration.ofMillis(Math.max(0, now() - begin)), onePass);
            BatchResult.Halt halt = stoppedBy == null ? null : new BatchResult.Halt(stoppedBy.kind().name(),
                    stoppedBy.message(), stoppedBy.kind().configuration());
            return new BatchResult(out, window, warnings, null, scan, null, halt);
        }

        /** Starts pending parts while there is capacity; false when the log group is missing. */
        boolean startSome() {
            while (running.size() < settings.maxConcurrent() && !pending.isEmpty() && now() >= startBlockedUntil) {
                Part p = pending.peekFirst();
                if (p.job.error != null) {
                    pending.removeFirst();
                    continue;
                }
                if (deadlinePassed()) {
                    return true;
                }
                limiter.acquire();
                try {
                    // without an ingestion window (event-time runs, ad hoc ranges) the exact @timestamp range
                    // keeps the inclusive end second out, as the ingestion filter does for ingestion-time runs
                    String text = queryText(p.job.request.query().text(), p.job.ingestion,
                            p.split || p.job.ingestion == null ? p.range : null);
                    p.queryId = start(p.groups, startSeconds(p.range.start()), endSeconds(p.range.end()), text);
                } catch (InsightsApi.Throttled e) {
                    throttled++;
                    if (throttledTooLong(e)) {
                        return false;
                    }
                    startBlockedUntil = now() + withJitter(startBackoff);
                    startBackoff = Math.min(startBackoff * 2, settings.backoffMaxMillis());
                    return true;
                } catch (InsightsApi.LogGroupNotFound e) {
                    stopAll(new AwsErrors.Problem(AwsErrors.Kind.LOG_GROUP_MISSING, missingLogGroupMessage()));
                    return false;
                } catch (InsightsApi.ApiError e) {
                    if (e.kind().affectsEveryCall()) {
                        stopAll(new AwsErrors.Problem(e.kind(), e.getMessage()));
                        return false;
                    }
                    pending.removeFirst();
                    fail(p.job, "StartQuery failed: " + e.getMessage());
                    continue;
                }
                throttledSince = -1;
                pending.removeFirst();
                started++;
                startBackoff = settings.backoffInitialMillis();
                long t = now();
                if (p.job.firstStart < 0) {
                    p.job.firstStart = t;
                }
                p.pollDelay = settings.pollInitialMillis();
                p.nextPoll = t + p.pollDelay;
                running.add(p);
            }
            return true;
        }

        /**
         * Records a throttled call; true (and the batch stopped) when every call has been throttled for longer than
         * {@link Settings#throttleLimit the limit}: the account's quota is held by someone else, waiting longer is not
         * going to help this run.
         */
        boolean throttledTooLong(InsightsApi.Throttled e) {
            long t = now();
            if (throttledSince < 0) {
                throttledSince = t;
                return false;
            }
            Duration throttleLimit = settings.throttleLimit();
            if (throttleLimit == null || t - throttledSince <= throttleLimit.toMillis()) {
                return false;
            }
            stopAll(new AwsErrors.Problem(AwsErrors.Kind.THROTTLED, "CloudWatch Logs Insights throttled every call"
                    + " for " + throttleLimit.toSeconds() + " s (" + e.getMessage() + "): the account's Logs Insights"
                    + " quota is busy; retry later, or lower --max-concurrent-queries"));
            return true;
        }

        /** Fails every job not finished with the problem, stops the running queries, and remembers it. */
        void stopAll(AwsErrors.Problem problem) {
            stoppedBy = problem;
            for (Job j : jobs) {
                if (j.error == null && j.open > 0) {
                    fail(j, problem.message());
                }
            }
            pending.clear();
        }

        boolean deadlinePassed() {
            return deadline != null && now() >= deadline.toEpochMilli();
        }

        void pollDue() {
            for (Part p : new ArrayList<>(running)) {
                if (!running.contains(p) || now() < p.nextPoll) {
                    continue;
                }
                if (deadlinePassed()) {
                    return;
                }
                limiter.acquire();
                InsightsApi.Poll poll;
                try {
                    poll = api.getQueryResults(p.queryId);
                } catch (InsightsApi.Throttled e) {
                    throttled++;
                    if (throttledTooLong(e)) {
                        return;
                    }
                    p.pollDelay = Math.min(Math.max(p.pollDelay * 2, settings.backoffInitialMillis()),
                            settings.backoffMaxMillis());
                    p.nextPoll = now() + withJitter(p.pollDelay);
                    continue;
                } catch (InsightsApi.ApiError e) {
                    if (e.kind().affectsEveryCall()) {
                        stopAll(new AwsErrors.Problem(e.kind(), e.getMessage()));
                        return;
                    }
                    running.remove(p);
                    fail(p.job, "GetQueryResults failed: " + e.getMessage());
                    continue;
                }
                throttledSince = -1;
                String status = poll.status() == null ? "Unknown" : poll.status();
                switch (status) {
                    case "Scheduled", "Running" -> {
                        p.pollDelay = Math.min((long) (p.pollDelay * 1.5), settings.pollMaxMillis());
                        p.nextPoll = now() + p.pollDelay;
                    }
                    case "Complete" -> complete(p, poll);
                    default -> {
                        running.remove(p);
                        addStats(p, poll);
                        fail(p.job, "Logs Insights query " + p.queryId + " ended with status " + status
                                + (status.equals("Timeout") ? " (it ran longer than the Logs Insights limit; "
                                + "narrow the rule's filters or shorten the window)" : ""));
                    }
                }
            }
        }

        void complete(Part p, InsightsApi.Poll poll) {
            running.remove(p);
            Job job = p.job;
            addStats(p, poll);
            if (poll.rows().size() >= settings.rowLimit()) {
                if (job.aggregate) {
                    warnings.add(job.request.id() + ": the stats query returned " + poll.rows().size()
                            + " rows, the Logs Insights maximum; groups beyond it are not reported (narrow its "
                            + "'by' fields or filter before stats)");
                } else {
                    long from = p.range.start().toEpochMilli();
                    long to = p.range.end().toEpochMilli();
                    if (to - from < 2 || job.parts + 2 > settings.maxPartsPerQuery()) {
                        fail(job, "more than " + settings.rowLimit() + " matching events between " + p.range.start()
                                + " and " + p.range.end() + " even after splitting the time range into "
                                + job.parts + " parts; narrow the rule's filters");
                        return;
                    }
                    long mid = from + (to - from) / 2;
                    splits++;
                    job.open--; // this part is replaced by its two halves
                    Part second = new Part(job, new TimeWindow(Instant.ofEpochMilli(mid), p.range.end()), true);
                    Part first = new Part(job, new TimeWindow(p.range.start(), Instant.ofEpochMilli(mid)), true);
                    second.groups = p.groups;
                    first.groups = p.groups;
                    enqueue(second, true);
                    enqueue(first, true);
                    return;
                }
            }
            p.rows = poll.rows();
            job.keptMatched += poll.recordsMatched();
            job.done.add(p);
            job.open--;
            job.lastEnd = now();
        }

        void addStats(Part p, InsightsApi.Poll poll) {
            Job job = p.job;
            if (!p.split) { // a first part: the whole range over its batch of log groups
                job.firstPartBytes = Math.max(0, job.firstPartBytes) + poll.bytesScanned();
            }
            job.recordsScanned += poll.recordsScanned();
            job.bytesScanned += poll.bytesScanned();
            job.recordsMatched += poll.recordsMatched();
            job.lastEnd = now();
        }

        void fail(Job job, String message) {
            if (job.error == null) {
                job.error = message;
            }
            job.lastEnd = now();
            // Stop this job's other parts: their result can no longer be used.
            for (Part p : new ArrayList<>(running)) {
                if (p.job == job) {
                    running.remove(p);
                    stopQuietly(p);
                }
            }
        }

        void expire() {
            String when = deadline.toString();
            for (Part p : new ArrayList<>(running)) {
                running.remove(p);
                stopQuietly(p);
                if (p.job.error == null) {
                    p.job.error = "not finished before the deadline " + when + " (the Lambda's remaining time); "
                            + "query " + p.queryId + " stopped";
                }
            }
            for (Part p : pending) {
                if (p.job.error == null) {
                    p.job.error = "not started before the deadline " + when + " (the Lambda's remaining time; "
                            + "too many rules for the concurrency limit or the account's Insights quota was busy)";
                }
            }
            pending.clear();
        }

        void stopQuietly(Part p) {
            try {
                limiter.acquire();
                api.stopQuery(p.queryId);
            } catch (RuntimeException ignored) {
                // Best effort: the query may have finished meanwhile; Insights ends it at its own timeout anyway.
            }
        }

        void waitForWork() {
            if (pending.isEmpty() && running.isEmpty()) {
                return;
            }
            long now = now();
            long next = Long.MAX_VALUE;
            boolean canStart = !pending.isEmpty() && running.size() < settings.maxConcurrent();
            if (canStart) {
                next = Math.max(now, startBlockedUntil);
            }
            for (Part p : running) {
                next = Math.min(next, p.nextPoll);
            }
            if (deadline != null) {
                next = Math.min(next, deadline.toEpochMilli());
            }
            if (next > now && next != Long.MAX_VALUE) {
                ticker.sleep(next - now);
            }
        }

        long withJitter(long millis) {
            return millis / 2 + (long) (jitter.nextDouble() * (millis / 2.0 + 1));
        }

        QueryOutcome outcome(Job job) {
            if (job.error != null) {
                return QueryOutcome.failure(job.request.id(), job.error, job.stats());
            }
            if (job.open > 0) {
                return QueryOutcome.failure(job.request.id(), "query did not finish", job.stats());
            }
            job.done.sort(Comparator.comparing(p -> p.range.start()));
            Set<String> columns = new LinkedHashSet<>();
            List<ResultRow> rows = new ArrayList<>();
            for (Part p : job.done) {
                for (List<Map.Entry<String, String>> r : p.rows) {
                    List<ResultRow.Field> fields = new ArrayList<>(r.size());
                    for (Map.Entry<String, String> f : r) {
                        columns.add(f.getKey());
                        if (f.getValue() != null) {
                            fields.add(new ResultRow.Field(f.getKey(), f.getValue()));
                        }
                    }
                    rows.add(new ResultRow(fields));
                }
            }
            // matched events of the kept parts: a capped part's matches are its halves' matches again, so counting
            // them too would make a complete split result look cut (rows < matched) to the caller
            QueryResult result = new QueryResult(new ArrayList<>(columns), rows, job.aggregate, job.recordsScanned,
                    job.keptMatched);
            return QueryOutcome.success(job.request.id(), result, job.stats());
        }
    }
}
