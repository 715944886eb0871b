package io.ekslookout.detect;

import io.ekslookout.plan.Planner;
import io.ekslookout.plan.ScanPlan;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.QueryLimits;
import io.ekslookout.query.QueryResult;
import io.ekslookout.query.ResultRow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs rules the planned way: ONE prefilter query per batch of rules ({@link Planner}) through another back end
 * (the "fetch" back end: CloudWatch Logs Insights, or the embedded engine over files), the rules the planner left
 * separate as their own queries there, then every planned rule's FULL query with the embedded engine over the
 * events the prefilter returned. Each byte is scanned once per prefilter instead of once per rule, and the rules
 * give the same rows (see {@link io.ekslookout.query.EventLocalHead} for why).
 *
 * <p>The returned rows are rebuilt into events from the projected fields ({@link Planner#PROJECTION} and
 * {@code @ptr}): {@code @timestamp} and {@code @ingestionTime} as Logs Insights renders them
 * ({@code yyyy-MM-dd HH:mm:ss.SSS}, UTC, millisecond exact) or as epoch milliseconds (what moto returns),
 * {@code @log} ({@code account:group} from Logs Insights, the bare group from moto) split into account and log
 * group, {@code @ptr} as the event id. A row without a readable {@code @timestamp} is counted as an event error of
 * every rule of its prefilter (never dropped silently); a row without {@code @ingestionTime} (moto does not return
 * it) is evaluated with its {@code @timestamp} as ingestion time, and when the run has an ingestion window its
 * rules say so in a warning. They are evaluated oldest first, equal timestamps in the order the prefilter returned them (its default order
 * keeps arrival order among ties), with the request's own time range and ingestion window.
 *
 * <p>The 10,000-row cap: the prefilter is a non-stats query, so a fetch back end that splits a capped raw-event
 * result in time halves (the Insights back end does) returns every event. A result that still comes back cut
 * (the cap reached with more events matched: the embedded engine does not split) is completed here by fetching
 * the time before its oldest row again (see {@link #complete}), up to {@link #MAX_PARTS} parts; past that its
 * rules fail with the reason.
 *
 * <p>Faults stay visible: a failed prefilter fails exactly its rules, with its reason; events the prefilter could
 * not evaluate, and rows that cannot be rebuilt, are added to each of its rules' event errors and warnings.
 */
public final class PlannedBackend implements QueryBackend {
    /** Rows one query returns at most (the Logs Insights and embedded-engine cap). */
    static final int ROW_CAP = 10_000;
    /** Time parts one capped prefilter may be split into. */
    static final int MAX_PARTS = 256;
    private static final DateTimeFormatter TIMESTAMP = new java.time.format.DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(
                    java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();
    /** Epoch milliseconds, as moto returns {@code @timestamp} (at most 15 digits: years up to about 33658). */
    private static final java.util.regex.Pattern EPOCH_MILLIS = java.util.regex.Pattern.compile("-?\\d{1,15}");

    private final QueryBackend fetch;
    private final Clock clock;
    private final QueryLimits limits;
    /** The clusters of a run over several (empty: one source, outcomes without a cluster). */
    private final List<Cluster> clusters;

    /**
     * One cluster of a run over several.
     *
     * @param name     the cluster (its outcomes and findings carry it)
     * @param logGroup its control-plane log group: the events whose {@code @log} names it are this cluster's
     * @param alone    a back end reading this cluster's log group alone, for the rules the planner leaves
     *                 separate (their stats must count one cluster's events, not all of them)
     */
    public record Cluster(String name, String logGroup, QueryBackend alone) {
        public Cluster {
            Objects.requireNonNull(name);
            Objects.requireNonNull(logGroup);
            Objects.requireNonNull(alone);
        }
    }
    /**
     * What the fetch back end did in one run.
     *
     * @param queries        queries sent to it (prefilters, their time parts, separate rules)
     * @param recordsScanned events it scanned, all queries together
     * @param bytesScanned   bytes it scanned (what Logs Insights bills), all queries together
     * @param eventsReturned events the prefilters returned
     * @param bytesReturned  message bytes of those events
     */
    public record Fetched(int queries, long recordsScanned, long bytesScanned, long eventsReturned,
                          long bytesReturned) {
        static final Fetched NONE = new Fetched(0, 0, 0, 0, 0);

        Fetched plus(Fetched o) {
            return new Fetched(queries + o.queries, recordsScanned + o.recordsScanned,
                    bytesScanned + o.bytesScanned, eventsReturned + o.eventsReturned, bytesReturned + o.bytesReturned);
        }
    }

    public PlannedBackend(QueryBackend fetch) {
        this(fetch, Clock.systemUTC(), QueryLimits.DEFAULT);
    }

    /** @param limits memory caps of the local evaluation of each rule */
    public PlannedBackend(QueryBackend fetch, Clock clock, QueryLimits limits) {
        this(fetch, List.of(), clock, limits);
    }

    /**
     * Several clusters in one run: {@code fetch} reads every cluster's log group at once (Logs Insights: one
     * prefilter query per 50 log groups), the returned events are split by {@code @log} into clusters and every
     * planned rule's full query is evaluated on each cluster's events alone; rules the planner leaves separate run
     * on each cluster's own back end. Each entry is answered with one outcome per cluster, in the clusters' order.
     */
    public PlannedBackend(QueryBackend fetch, List<Cluster> clusters) {
        this(fetch, clusters, Clock.systemUTC(), QueryLimits.DEFAULT);
    }

    public PlannedBackend(QueryBackend fetch, List<Cluster> clusters, Clock clock, QueryLimits limits) {
        this.fetch = Objects.requireNonNull(fetch);
        this.clusters = List.copyOf(clusters);
        this.clock = Objects.requireNonNull(clock);
        this.limits = Objects.requireNonNull(limits);
    }

    /** What one run gathered from its calls of the fetch back end. */
    private static final class Run {
        final Batch batch;
        /** Each entry's outcomes: one, or one per cluster. */
        final List<List<QueryOutcome>> outcomes = new ArrayList<>();
        Fetched fetched = Fetched.NONE;
        ScanStats scan = ScanStats.NONE;
        final java.util.LinkedHashSet<String> warnings = new java.util.LinkedHashSet<>();
        io.ekslookout.logs.ReadReport read;
        TimeWindow covered;
        BatchResult.Halt halted;
        boolean first = true;

        Run(Batch batch) {
            this.batch = batch;
            batch.entries().forEach(e -> outcomes.add(new ArrayList<>()));
        }

        /** Runs a batch on the fetch back end and keeps what it says besides its outcomes. */
        List<QueryOutcome> fetch(QueryBackend backend, Batch b) {
            BatchResult r = backend.run(b);
            fetched = fetched.plus(new Fetched(b.entries().size(), 0, 0, 0, 0));
            for (QueryOutcome o : r.outcomes()) {
                if (o != null && o.stats() != null) {
                    fetched = fetched.plus(new Fetched(0, o.stats().recordsScanned(), o.stats().bytesScanned(), 0, 0));
                }
            }
            scan = scan.plus(r.scan());
            warnings.addAll(r.warnings());
            if (first) { // the whole window's fetch: what it read and covered stands for the run
                read = r.readReport();
                covered = r.coveredWindow();
                first = false;
            }
            halted = halted != null ? halted : r.halted();
            return r.outcomes();
        }
    }

    @Override
    public BatchResult run(Batch batch) {
        Run run = new Run(batch);
        ScanPlan plan = plan(run);
        List<QueryOutcome> all = new ArrayList<>();
        run.outcomes.forEach(all::addAll);
        return new BatchResult(all, run.covered != null ? run.covered : batch.window(),
                List.copyOf(run.warnings), run.read, run.scan, new BatchResult.Planned(List.of(plan), run.fetched),
                run.halted);
    }

    /** The batch's plan, its one fetch, and every planned rule evaluated on what its prefilter returned. */
    private ScanPlan plan(Run run) {
        List<Batch.Entry> entries = run.batch.entries();
        List<List<QueryOutcome>> outcomes = run.outcomes;
        Map<String, Integer> indexById = new LinkedHashMap<>();
        List<Planner.Target> targets = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Batch.Entry e = entries.get(i);
            if (!e.runnable()) {
                outcomes.get(i).add(QueryOutcome.failure(e.id(), e.problem(), QueryStats.NONE));
                continue;
            }
            targets.add(new Planner.Target(e.id(), e.query()));
            indexById.put(e.id(), i);
        }
        ScanPlan plan = Planner.plan(targets);

        List<Batch.Entry> sent = new ArrayList<>();
        for (int p = 0; p < plan.prefilters().size(); p++) {
            sent.add(new Batch.Entry(prefilterId(p), plan.prefilters().get(p).query()));
        }
        List<Batch.Entry> separate = new ArrayList<>();
        for (ScanPlan.Separate s : plan.separate()) {
            separate.add(entries.get(indexById.get(s.ruleId())));
        }
        if (clusters.isEmpty()) {
            sent.addAll(separate);
        }
        List<QueryOutcome> got = sent.isEmpty() ? List.of() : run.fetch(fetch, run.batch.withEntries(sent));
        for (int k = plan.prefilters().size(); k < sent.size(); k++) {
            Batch.Entry r = sent.get(k);
            outcomes.get(indexById.get(r.id())).add(QueryOutcome.at(got, k, r.id()));
        }
        // several clusters: a separate rule runs on each cluster alone (its stats count that cluster's events)
        for (Cluster c : separate.isEmpty() ? List.<Cluster>of() : clusters) {
            List<QueryOutcome> own = run.fetch(c.alone(), run.batch.withEntries(separate));
            for (int k = 0; k < separate.size(); k++) {
                Batch.Entry r = separate.get(k);
                outcomes.get(indexById.get(r.id())).add(QueryOutcome.at(own, k, r.id()).withCluster(c.name()));
            }
        }
        for (int p = 0; p < plan.prefilters().size(); p++) {
            ScanPlan.Prefilter prefilter = plan.prefilters().get(p);
            QueryOutcome o = p < got.size() ? got.get(p) : null;
            Rebuilt events = o == null ? new Rebuilt(null, "the back end returned no outcome for the prefilter")
                    : complete(run, sent.get(p), o);
            evaluate(run, prefilter, events, indexById);
        }
        return plan;
    }

    private static String prefilterId(int p) {
        return "prefilter-" + (p + 1);
    }

    /** Events rebuilt from a prefilter's rows, or why they could not be fetched. */
    private record Rebuilt(Rows rows, String error) {
    }

    /** Rows of a prefilter (its time parts together) and what went wrong with some of its events. */
    private record Rows(List<ResultRow> rows, long eventErrors, String firstEventError, List<String> warnings,
                        Duration took) {
    }

    /**
     * The prefilter's rows, every one of them. A result cut at the row cap holds the newest events (the default
     * order of raw-event rows is newest first), so every matching event newer than its oldest row {@code t} is in
     * it; the events at exactly {@code t} are fetched again on their own ({@code [t, t+1ms)}) and the rest of the
     * range before {@code t} is fetched again, until a part comes back under the cap. Each further query returns
     * at least the events newer than its oldest row, so the parts are about (matching events / cap) + their
     * boundary millisecond, at most {@link #MAX_PARTS}.
     */
    private Rebuilt complete(Run run, Batch.Entry request, QueryOutcome first) {
        List<ResultRow> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        long errors = 0;
        String firstError = null;
        Duration took = Duration.ZERO;
        QueryOutcome o = first;
        TimeWindow whole = run.batch.window();
        TimeWindow range = whole;
        int parts = 1;
        while (true) {
            if (o.failed() || o.result() == null) {
                return new Rebuilt(null, "the prefilter query failed: " + o.error());
            }
            QueryResult r = o.result();
            took = took.plus(o.stats() == null ? Duration.ZERO : o.stats().duration());
            warnings.addAll(r.warnings());
            errors += r.eventErrors();
            firstError = firstError != null ? firstError : r.firstEventError();
            if (r.rows().size() < ROW_CAP || r.recordsMatched() <= r.rows().size()) {
                rows.addAll(r.rows());
                return new Rebuilt(new Rows(rows, errors, firstError, List.copyOf(new java.util.LinkedHashSet<>(
                        warnings)), took), null);
            }
            long oldest = Long.MAX_VALUE;
            for (ResultRow row : r.rows()) {
                oldest = Math.min(oldest, timestampOf(row));
            }
            for (ResultRow row : r.rows()) {
                if (timestampOf(row) > oldest) {
                    rows.add(row);
                }
            }
            parts += 2;
            if (parts > MAX_PARTS) {
                return new Rebuilt(null, "the prefilter matched more than " + ROW_CAP + " events in each of "
                        + MAX_PARTS + " time parts of " + whole.start() + " to " + whole.end());
            }
            TimeWindow tie = new TimeWindow(Instant.ofEpochMilli(oldest), Instant.ofEpochMilli(oldest + 1));
            QueryOutcome ties = fetchPart(run, request, tie);
            if (ties.failed() || ties.result() == null) {
                return new Rebuilt(null, "the prefilter query failed: " + ties.error());
            }
            if (ties.result().rows().size() >= ROW_CAP && ties.result().recordsMatched() > ties.result().rows().size()) {
                return new Rebuilt(null, "the prefilter matched more than " + ROW_CAP + " events in the one "
                        + "millisecond " + tie.start());
            }
            rows.addAll(ties.result().rows());
            errors += ties.result().eventErrors();
            warnings.addAll(ties.result().warnings());
            range = new TimeWindow(range.start(), Instant.ofEpochMilli(oldest));
            if (!range.start().isBefore(range.end())) {
                return new Rebuilt(new Rows(rows, errors, firstError, List.copyOf(new java.util.LinkedHashSet<>(
                        warnings)), took), null);
            }
            o = fetchPart(run, request, range);
        }
    }

    private QueryOutcome fetchPart(Run run, Batch.Entry request, TimeWindow range) {
        List<QueryOutcome> got = run.fetch(fetch, run.batch.withEntries(List.of(request)).withWindow(range));
        return got.isEmpty() || got.get(0) == null
                ? QueryOutcome.failure(request.id(), "no outcome", QueryStats.NONE) : got.get(0);
    }

    private static long timestampOf(ResultRow row) {
        String ts = row.get("@timestamp");
        if (ts == null) {
            return Long.MIN_VALUE; // unreadable: counted when rebuilt
        }
        try {
            return time("@timestamp", ts);
        } catch (IllegalArgumentException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * A time field of a returned row in epoch milliseconds: the rendered {@code yyyy-MM-dd HH:mm:ss.SSS} (UTC) of
     * Logs Insights or plain epoch milliseconds (moto).
     *
     * @throws IllegalArgumentException naming the field and (shortened) value when it is neither
     */
    static long time(String field, String value) {
        String v = value.strip();
        if (EPOCH_MILLIS.matcher(v).matches()) {
            return Long.parseLong(v);
        }
        try {
            return LocalDateTime.parse(v, TIMESTAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unreadable " + field + " '" + (v.length() > 40 ? v.substring(0, 40)
                    + "..." : v) + "' (expected yyyy-MM-dd HH:mm:ss.SSS or epoch milliseconds)");
        }
    }

    /**
     * Runs every rule of a prefilter over its events with the embedded engine: over all of them, or with several
     * clusters over each cluster's events alone (split by the log group {@code @log} names).
     */
    private void evaluate(Run run, ScanPlan.Prefilter prefilter, Rebuilt fetched, Map<String, Integer> indexById) {
        List<List<QueryOutcome>> outcomes = run.outcomes;
        if (fetched.error() != null) {
            for (String id : prefilter.ruleIds()) {
                outcomes.get(indexById.get(id)).add(QueryOutcome.failure(id, fetched.error(), QueryStats.NONE));
            }
            return;
        }
        Rows rows = fetched.rows();
        List<Event> events = new ArrayList<>(rows.rows().size());
        long unreadable = 0;
        String firstUnreadable = null;
        long bytes = 0;
        long noIngestionTime = 0;
        for (ResultRow row : rows.rows()) {
            try {
                Event e = rebuild(row);
                events.add(e);
                noIngestionTime += row.get("@ingestionTime") == null ? 1 : 0;
                bytes += e.event().message() == null ? 0 : e.event().message().length();
            } catch (IllegalArgumentException e) {
                unreadable++;
                firstUnreadable = firstUnreadable != null ? firstUnreadable : "prefilter row: " + e.getMessage();
            }
        }
        run.fetched = run.fetched.plus(new Fetched(0, 0, 0, events.size(), bytes));
        long lost = rows.eventErrors() + unreadable;
        String firstLost = rows.firstEventError() != null ? rows.firstEventError() : firstUnreadable;
        List<String> shared = new ArrayList<>(rows.warnings());
        TimeWindow ingestion = run.batch.ingestionWindow();
        if (noIngestionTime > 0 && ingestion != null) {
            shared.add(noIngestionTime + " events came back without @ingestionTime (moto does not return it); the "
                    + "ingestion window was applied to their @timestamp");
        }
        if (clusters.isEmpty()) {
            evaluateOn(run, prefilter, events, lost, firstLost, shared, indexById, null);
            return;
        }
        Map<String, List<Event>> byCluster = new LinkedHashMap<>();
        Map<String, String> clusterOfGroup = new LinkedHashMap<>();
        for (Cluster c : clusters) {
            byCluster.put(c.name(), new ArrayList<>());
            clusterOfGroup.put(c.logGroup(), c.name());
        }
        long strangers = 0;
        String strangeGroup = null;
        for (Event e : events) {
            String c = clusterOfGroup.get(e.event().logGroup());
            if (c == null) {
                strangers++;
                strangeGroup = strangeGroup != null ? strangeGroup : String.valueOf(e.event().logGroup());
            } else {
                byCluster.get(c).add(e);
            }
        }
        if (strangers > 0) {
            // never silent: @log named a group of no cluster of the run (a service change, a bad row)
            lost += strangers;
            firstLost = firstLost != null ? firstLost : "prefilter row: @log '" + (strangeGroup.length() > 200
                    ? strangeGroup.substring(0, 200) + "..." : strangeGroup) + "' is the log group of no cluster of"
                    + " this run";
        }
        for (Cluster c : clusters) {
            evaluateOn(run, prefilter, byCluster.get(c.name()), lost, firstLost, shared, indexById, c.name());
        }
    }

    /** Every rule of a prefilter over these events (of one cluster, or all); outcomes tagged with the cluster. */
    private void evaluateOn(Run run, ScanPlan.Prefilter prefilter, List<Event> events, long lost, String firstLost,
                            List<String> sharedWarnings, Map<String, Integer> indexById, String cluster) {
        String account = null;
        boolean severalAccounts = false;
        List<LogEvent> sorted = new ArrayList<>(events.size());
        for (Event e : events) {
            sorted.add(e.event());
            if (account == null) {
                account = e.account();
            } else if (!account.equals(e.account())) {
                severalAccounts = true;
            }
        }
        // oldest first; a stable sort keeps the prefilter's order (arrival order) among equal timestamps
        sorted.sort(Comparator.comparingLong(LogEvent::timestamp));
        List<Batch.Entry> local = new ArrayList<>();
        for (String id : prefilter.ruleIds()) {
            local.add(run.batch.entries().get(indexById.get(id)));
        }
        LocalBackend engine = new LocalBackend(new InMemoryLogSource(sorted), clock, limits,
                account == null ? LocalBackend.ACCOUNT : account);
        List<QueryOutcome> results = engine.run(run.batch.withEntries(local)).outcomes();
        List<String> shared = new ArrayList<>(sharedWarnings);
        if (lost > 0) {
            shared.add("the shared prefilter query could not evaluate or return " + lost + " events (first: "
                    + firstLost + "); this rule did not see them");
        }
        if (severalAccounts) {
            shared.add("the prefilter returned events of several accounts; @log is evaluated with account "
                    + account);
        }
        for (int k = 0; k < local.size(); k++) {
            QueryOutcome o = withoutBytes(results.get(k));
            if (!o.failed() && (lost > 0 || !shared.isEmpty())) {
                QueryResult r = o.result();
                List<String> warnings = new ArrayList<>(r.warnings());
                warnings.addAll(shared);
                QueryResult merged = new QueryResult(r.columns(), r.rows(), r.aggregate(), r.recordsScanned(),
                        r.recordsMatched(), r.eventErrors() + lost,
                        r.firstEventError() != null ? r.firstEventError() : firstLost, warnings);
                o = QueryOutcome.success(o.id(), merged, o.stats());
            }
            run.outcomes.get(indexById.get(o.id())).add(cluster == null ? o : o.withCluster(cluster));
        }
    }

    /**
     * A planned rule's outcome with no bytes scanned of its own: evaluating it locally costs no Logs Insights
     * bytes (the prefilter's are in the result's {@link BatchResult#planned()}), so summing rules' bytes gives what was billed for the
     * rules that ran as their own query only, never the local reads counted as if billed.
     */
    private static QueryOutcome withoutBytes(QueryOutcome o) {
        QueryStats s = o.stats() == null ? QueryStats.NONE : o.stats();
        QueryStats local = new QueryStats(s.recordsScanned(), 0, s.recordsMatched(), s.duration());
        return o.failed() ? QueryOutcome.failure(o.id(), o.error(), local) : QueryOutcome.success(o.id(), o.result(),
                local);
    }

    private record Event(LogEvent event, String account) {
    }

    /** One prefilter row back into the event it came from. */
    static Event rebuild(ResultRow row) {
        String ts = row.get("@timestamp");
        if (ts == null) {
            throw new IllegalArgumentException("no @timestamp");
        }
        long timestamp = time("@timestamp", ts);
        String ingestion = row.get("@ingestionTime");
        long ingestionTime = ingestion == null ? timestamp : time("@ingestionTime", ingestion);
        String log = row.get("@log");
        String account = null;
        String group = log;
        if (log != null) {
            int colon = log.indexOf(':');
            if (colon > 0) {
                account = log.substring(0, colon);
                group = log.substring(colon + 1);
            }
        }
        return new Event(new LogEvent(timestamp, ingestionTime, row.get("@message"), row.get("@logStream"), group,
                row.get("@ptr")), account == null ? LocalBackend.ACCOUNT : account);
    }
}
