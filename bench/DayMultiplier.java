import io.ekslookout.aws.InsightsApi;
import io.ekslookout.aws.InsightsBackend;
import io.ekslookout.aws.LogTarget;
import io.ekslookout.aws.Ticker;
import io.ekslookout.detect.Batch;
import io.ekslookout.detect.BatchResult;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.Finding;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.PlannedBackend;
import io.ekslookout.detect.QueryBackend;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.QueryLimits;
import io.ekslookout.query.ResultRow;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.run.ScanCost;
import io.ekslookout.schedule.ScanMode;
import io.ekslookout.schedule.WindowPlanner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Logs Insights bills for a whole day of scheduled runs, measured: every tick of the 5-minute schedule over a
 * generated day of logs, in both scan modes ({@code ingestion}, {@code event-time}, default settle, lookback and
 * scan delay), once planned (one prefilter query per run, the default) and once with one query per rule
 * ({@code PLAN=false}). Each run goes through the scheduled path's parts as {@code Wiring} puts them together for
 * one cluster: {@link WindowPlanner} gives the windows, {@link InsightsBackend} (pacing, polling, row-cap splits,
 * the window filters it writes into the query text) talks to the Insights API, {@link PlannedBackend} wraps it
 * when planned, {@link Detector} turns outcomes into findings.
 *
 * <p>The Insights API is a fake that behaves like the service where it matters here: it <b>bills every byte of every
 * event in the query's time range</b> (StartQuery's whole seconds, both ends inclusive), whatever the query filters,
 * as the service does; and it answers with what the query really returns, by running the query text it was sent
 * (the back end's {@code @ingestionTime}/{@code @timestamp} filters included) with the embedded engine over those
 * events, rows rendered as the service renders them, at most {@code limit} of them. (The tests' FakeInsights and
 * moto ignore rule filters, so one query per rule would "find" everything there; here both paths must, and do,
 * find the same.) The Ticker is simulated: pacing and polling cost no wall time.
 *
 * <p>Bytes are the UTF-8 bytes of each event's message. Corpus bytes are those of every event of the file; the
 * multiplier is billed bytes / corpus bytes over every run that scans any of the day (including the ticks after its
 * last event whose lookback still reaches into it). Exits 1 when planned and per-rule findings differ in any run,
 * when any rule failed, or when nothing was found.
 *
 *   java -Xmx1g -cp function/target/eks-lookout.jar bench/DayMultiplier.java CORPUS [RULES_DIR]
 */
public final class DayMultiplier {
    static final String GROUP = "/aws/eks/prod/cluster";
    static final String ACCOUNT = "123456789012";
    static final Duration PERIOD = Duration.ofMinutes(5);
    // the Lambda's defaults (lambda.Config): SETTLE_DELAY PT2M, LOOKBACK PT15M, SCAN_DELAY PT10M
    static final Duration SETTLE = Duration.ofMinutes(2);
    static final Duration LOOKBACK = Duration.ofMinutes(15);
    static final Duration SCAN_DELAY = Duration.ofMinutes(10);

    /** A simulated clock: sleeping advances it. */
    static final class SimTicker implements Ticker {
        long now;

        SimTicker(long now) {
            this.now = now;
        }

        @Override
        public Instant now() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public void sleep(long millis) {
            now += Math.max(0, millis);
        }
    }

    /** The day in memory, sorted by @timestamp, with prefix sums of message bytes (billing a range is O(log n)). */
    record Day(List<LogEvent> events, long[] timestamps, long[] bytesBefore) {
        static Day of(List<LogEvent> events) {
            List<LogEvent> sorted = new ArrayList<>(events);
            sorted.sort(Comparator.comparingLong(LogEvent::timestamp));
            long[] ts = new long[sorted.size()];
            long[] before = new long[sorted.size() + 1];
            for (int i = 0; i < sorted.size(); i++) {
                ts[i] = sorted.get(i).timestamp();
                before[i + 1] = before[i] + sorted.get(i).message().getBytes(StandardCharsets.UTF_8).length;
            }
            return new Day(sorted, ts, before);
        }

        /** Index of the first event with timestamp >= t. */
        int lowerBound(long t) {
            int lo = 0, hi = timestamps.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (timestamps[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        long bytes() {
            return bytesBefore[bytesBefore.length - 1];
        }
    }

    /** Logs Insights over the day: bills the whole time range, returns what the query text really selects. */
    static final class EngineInsights implements InsightsApi {
        final Day day;
        final Map<String, Poll> answers = new HashMap<>();
        long billed;
        long queriesStarted;
        int next;

        EngineInsights(Day day) {
            this.day = day;
        }

        @Override
        public String startQuery(String logGroup, long startSeconds, long endSeconds, String queryText, int limit) {
            if (!logGroup.equals(GROUP)) {
                throw new LogGroupNotFound("The specified log group does not exist.");
            }
            long from = startSeconds * 1000;
            long to = endSeconds * 1000 + 1000; // exclusive: StartQuery's end second is inclusive
            int a = day.lowerBound(from);
            int b = day.lowerBound(to);
            long bytes = day.bytesBefore()[b] - day.bytesBefore()[a];
            billed += bytes;
            queriesStarted++;
            Batch.Entry entry = Batch.Entry.parse("q", queryText);
            if (!entry.runnable()) {
                throw new ApiError("MalformedQueryException: " + entry.problem());
            }
            QueryOutcome out = new LocalBackend(new InMemoryLogSource(day.events().subList(a, b)),
                    Clock.fixed(Instant.ofEpochMilli(to), ZoneOffset.UTC), QueryLimits.DEFAULT, ACCOUNT)
                    .run(Batch.one(entry, new TimeWindow(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)),
                            null, null)).outcomes().get(0);
            Poll poll;
            if (out.failed()) {
                poll = new Poll("Failed", List.of(), b - a, bytes, 0);
            } else {
                List<List<Map.Entry<String, String>>> rows = new ArrayList<>();
                for (ResultRow r : out.result().rows()) {
                    if (rows.size() == limit) {
                        break;
                    }
                    List<Map.Entry<String, String>> row = new ArrayList<>();
                    for (ResultRow.Field f : r.fields()) {
                        row.add(new AbstractMap.SimpleImmutableEntry<>(f.name(), f.value()));
                    }
                    rows.add(row);
                }
                poll = new Poll("Complete", rows, b - a, bytes, out.result().recordsMatched());
            }
            String id = "q-" + next++;
            answers.put(id, poll);
            return id;
        }

        @Override
        public Poll getQueryResults(String queryId) {
            return answers.remove(queryId);
        }

        @Override
        public void stopQuery(String queryId) {
            answers.remove(queryId);
        }
    }

    /** One combination's day: what it billed and found. */
    static final class Tally {
        final String name;
        final EngineInsights api;
        final SimTicker ticker;
        long findings;
        long matches;
        long costBytes; // as the run log reports it (ScanCost), to cross-check the fake's bill
        long costQueries;
        long warnings;

        Tally(String name, Day day, long start) {
            this.name = name;
            this.api = new EngineInsights(day);
            this.ticker = new SimTicker(start);
        }

        /** One scheduled run, wired as Wiring.rulesBackend and Wiring.scheduledRun do for one cluster. */
        DetectionReport run(List<Rule> rules, WindowPlanner.Plan p, boolean plan) {
            ticker.now = Math.max(ticker.now, p.tick().toEpochMilli() + SETTLE.toMillis());
            LogTarget target = LogTarget.forLogGroup(GROUP);
            InsightsBackend insights = new InsightsBackend(api, target, InsightsBackend.Settings.defaults(), ticker);
            QueryBackend backend = plan ? new PlannedBackend(insights) : insights;
            Detector.Detection d = new Detector(backend, Detector.DEFAULT_ROW_CAP, target.cluster())
                    .detect(rules, p.timeRange(), p.ingestion(), null);
            DetectionReport r = d.report();
            if (!r.ruleErrors().isEmpty()) {
                throw new IllegalStateException(name + ", tick " + p.tick() + ": rules failed: " + r.ruleErrors());
            }
            BatchResult batch = d.batch();
            ScanCost cost = ScanCost.of(batch, r.rulesRun());
            costBytes += cost.bytesScanned();
            costQueries += cost.queriesStarted();
            findings += r.findings().size();
            matches += r.totalMatches();
            warnings += batch.warnings().size() + r.warnings().size();
            return r;
        }
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        List<Rule> rules = RuleLoader.loadDirectory(Path.of(args.length > 1 ? args[1] : "rules")).enabledRules();
        List<LogEvent> read = new ArrayList<>();
        LocalLogs.open(corpus).read(e -> read.add(new LogEvent(e.timestamp(), e.ingestionTime(), e.message(),
                e.logStream(), GROUP, e.eventId())));
        Day day = Day.of(read);
        long minTs = day.timestamps()[0];
        long maxTs = day.timestamps()[day.timestamps().length - 1];
        long minIng = read.stream().mapToLong(LogEvent::ingestionTime).min().orElseThrow();
        long maxIng = read.stream().mapToLong(LogEvent::ingestionTime).max().orElseThrow();
        read.clear();
        System.out.printf(Locale.ROOT, "corpus %s: %.1f MB on disk, %,d events %s .. %s, %,d message bytes%n",
                corpus, Files.size(corpus) / 1e6, day.events().size(), Instant.ofEpochMilli(minTs),
                Instant.ofEpochMilli(maxTs), day.bytes());
        System.out.printf(Locale.ROOT, "%d rules; schedule every %d min, settle %d min; ingestion mode lookback %d"
                        + " min, event-time mode scan delay %d min%n", rules.size(), PERIOD.toMinutes(),
                SETTLE.toMinutes(), LOOKBACK.toMinutes(), SCAN_DELAY.toMinutes());

        List<String> lines = new ArrayList<>();
        boolean same = true;
        for (ScanMode mode : List.of(ScanMode.INGESTION, ScanMode.EVENT_TIME)) {
            WindowPlanner planner = new WindowPlanner(mode, PERIOD, SETTLE, LOOKBACK, SCAN_DELAY);
            // every run that scans any of the day's events, or owns any by ingestion time
            long p = PERIOD.toMillis();
            long first = Math.floorDiv(minTs, p) * p;
            long last = maxIng + LOOKBACK.toMillis() + SCAN_DELAY.toMillis() + SETTLE.toMillis() + 3 * p;
            Tally planned = new Tally(mode.name() + " planned", day, first);
            Tally perRule = new Tally(mode.name() + " one query per rule", day, first);
            int ticks = 0;
            int differing = 0;
            for (long s = first; s <= last; s += p) {
                WindowPlanner.Plan plan = planner.plan(Instant.ofEpochMilli(s));
                boolean scans = plan.timeRange().end().toEpochMilli() > minTs
                        && plan.timeRange().start().toEpochMilli() <= maxTs;
                boolean owns = plan.ingestion() != null && plan.ingestion().end().toEpochMilli() > minIng
                        && plan.ingestion().start().toEpochMilli() <= maxIng;
                if (!scans && !owns) {
                    continue;
                }
                ticks++;
                List<Finding> a = planned.run(rules, plan, true).findings();
                List<Finding> b = perRule.run(rules, plan, false).findings();
                if (!a.equals(b)) {
                    differing++;
                    if (differing <= 3) {
                        System.out.printf("DIFFERENT findings at tick %s (%s): planned %d, one query per rule %d%n",
                                plan.tick(), mode, a.size(), b.size());
                    }
                }
            }
            same &= differing == 0;
            if (planned.findings == 0) {
                System.out.println("FAILED: no findings at all in " + mode.label() + " mode (a corpus without its"
                        + " planted incidents proves nothing: generate it with --tests rules/tests)");
                System.exit(1);
            }
            System.out.printf(Locale.ROOT, "%s: %d runs, findings %s (%d runs differ)%n", mode.label(), ticks,
                    differing == 0 ? "identical in every run" : "DIFFERENT", differing);
            System.out.printf(Locale.ROOT, "%s: one query per rule billed %.2fx what planned did (%d rules)%n",
                    mode.label(), (double) perRule.api.billed / planned.api.billed, rules.size());
            for (Tally t : List.of(planned, perRule)) {
                if (t.costBytes != t.api.billed || t.costQueries != t.api.queriesStarted) {
                    System.out.printf("WARNING %s: the run log's cost (ScanCost: %d bytes, %d queries) is not what"
                            + " was billed (%d bytes, %d queries)%n", t.name, t.costBytes, t.costQueries,
                            t.api.billed, t.api.queriesStarted);
                } else {
                    System.out.printf("%s, %s: the run log's cost (ScanCost) = what was billed%n", mode.label(),
                            t == planned ? "planned" : "one query per rule");
                }
                lines.add(String.format(Locale.ROOT, "| %-10s | %-18s | %,14d | %,17d | %10.3f | %,9d | %,8d | %,7d |",
                        mode.label(), t == planned ? "planned" : "one query per rule", day.bytes(), t.api.billed,
                        (double) t.api.billed / day.bytes(), t.api.queriesStarted, t.findings, t.matches));
            }
        }
        System.out.println();
        System.out.println("| scan mode  | queries            |   corpus bytes |      bytes billed | multiplier |   queries | findings | matches |");
        System.out.println("| ---------- | ------------------ | -------------: | ----------------: | ---------: | --------: | -------: | ------: |");
        lines.forEach(System.out::println);
        if (!same) {
            System.out.println("FAILED: planned and one-query-per-rule findings differ");
            System.exit(1);
        }
    }
}
